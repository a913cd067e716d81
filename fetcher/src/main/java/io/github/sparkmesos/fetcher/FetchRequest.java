package io.github.sparkmesos.fetcher;

import io.github.sparkmesos.fetcher.internal.UriRedactor;
import java.util.Objects;

/**
 * One thing to fetch into a sandbox; mirrors Mesos's {@code CommandInfo.URI}.
 *
 * @param uri        an {@code http}, {@code https} or {@code file} URI, or an absolute local path
 * @param extract    extract the file if its name ends with a supported archive extension ({@code true}
 *                   by default in Mesos); ignored when {@code executable} is set, as in Mesos
 * @param executable make the fetched file executable (mode 0755); an executable is never extracted
 * @param outputFile the file's path relative to the sandbox, or {@code null} to use the last path
 *                   segment of the URI (without query or fragment)
 */
public record FetchRequest(String uri, boolean extract, boolean executable, String outputFile) {

    /** Validates {@code uri} (present) and {@code outputFile} (a relative path that stays in the sandbox). */
    public FetchRequest {
        Objects.requireNonNull(uri, "uri");
        if (uri.isBlank()) {
            throw new IllegalArgumentException("uri must not be empty");
        }
        if (outputFile != null) {
            validateOutputFile(outputFile);
        }
    }

    /** The Mesos defaults: extract, not executable, file name taken from the URI. */
    public static FetchRequest of(String uri) {
        return new FetchRequest(uri, true, false, null);
    }

    public FetchRequest withExtract(boolean extract) {
        return new FetchRequest(uri, extract, executable, outputFile);
    }

    public FetchRequest withExecutable(boolean executable) {
        return new FetchRequest(uri, extract, executable, outputFile);
    }

    public FetchRequest withOutputFile(String outputFile) {
        return new FetchRequest(uri, extract, executable, outputFile);
    }

    /** Never shows user information (user:password@) of the URI. */
    @Override
    public String toString() {
        return "FetchRequest[uri=" + UriRedactor.redact(uri) + ", extract=" + extract
                + ", executable=" + executable + ", outputFile=" + outputFile + "]";
    }

    private static void validateOutputFile(String outputFile) {
        if (outputFile.isEmpty()) {
            throw new IllegalArgumentException("output_file must not be empty");
        }
        if (outputFile.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("output_file must not contain a NUL character");
        }
        if (outputFile.startsWith("/")) {
            throw new IllegalArgumentException(
                    "output_file must be a path relative to the sandbox, got '" + outputFile + "'");
        }
        boolean namesAFile = false;
        for (String segment : outputFile.split("/", -1)) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException(
                        "output_file must not contain '..' segments, got '" + outputFile + "'");
            }
            namesAFile = !segment.isEmpty() && !segment.equals(".");
        }
        if (!namesAFile) {
            throw new IllegalArgumentException(
                    "output_file must name a file inside the sandbox, got '" + outputFile + "'");
        }
    }
}
