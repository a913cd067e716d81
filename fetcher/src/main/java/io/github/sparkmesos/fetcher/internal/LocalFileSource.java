package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Opens a regular file on this host (symlinks are followed: the path is the user's choice). */
final class LocalFileSource {

  TransferStream open(SourceLocation.Local location, String uri, FetchProgress progress) throws StepException {
    Path path = location.path();
    BasicFileAttributes attributes;
    InputStream in;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new StepException("'" + path + "' is a directory");
      }
      if (!attributes.isRegularFile()) {
        throw new StepException("'" + path + "' is not a regular file");
      }
      in = Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new StepException("no such file '" + path + "'", e);
    } catch (AccessDeniedException e) {
      throw new StepException("permission denied reading '" + path + "'", e);
    } catch (IOException e) {
      throw new StepException("cannot read '" + path + "': " + TransferStream.messageOf(e), e);
    }
    return new TransferStream(in, attributes.size(), uri, progress,
        e -> "reading '" + path + "' failed: " + TransferStream.messageOf(e), null);
  }
}
