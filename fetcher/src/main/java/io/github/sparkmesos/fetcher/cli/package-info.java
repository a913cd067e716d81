/** The {@code fetch} command line ({@link io.github.sparkmesos.fetcher.cli.FetchCommand}). */
package io.github.sparkmesos.fetcher.cli;
