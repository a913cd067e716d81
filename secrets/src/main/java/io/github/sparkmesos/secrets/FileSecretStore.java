package io.github.sparkmesos.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The store {@code file:<dir>}: a directory whose files are the references, {@code <dir>/<name>} for a reference
 * without key and {@code <dir>/<name>/<key>} for one with a key. A name may have several segments
 * ({@code team/db}); no segment may be empty, {@code .} or {@code ..}, and a key has one segment. Symlinks are
 * followed only while they stay under the directory. The directory and every directory on the way to a secret
 * must not be writable by group or others; a secret file must be a regular file neither readable nor writable by
 * others, of at most 1 MiB.
 */
public final class FileSecretStore implements SecretResolver {

  private final Path root;

  /** @throws IllegalArgumentException when {@code root} is not an absolute path to a directory */
  public FileSecretStore(Path root) {
    if (!root.isAbsolute()) {
      throw new IllegalArgumentException("the secret directory must be an absolute path, not '" + root + "'");
    }
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("the secret directory " + root + " does not exist or is not a directory");
    }
    this.root = root;
  }

  @Override
  public byte[] resolve(SecretReference ref) throws SecretException {
    String problem = ReferenceNames.problem(ref.name(), "name");
    if (problem == null && ref.key().isPresent()) {
      problem = ReferenceNames.keyProblem(ref.key().get());
    }
    if (problem != null) {
      throw new SecretException(ref, problem);
    }
    try {
      Path realRoot = root.toRealPath();
      SecretFiles.checkDirectory(realRoot);
      Path file = root.resolve(ref.name());
      if (ref.key().isPresent()) {
        file = file.resolve(ref.key().get());
      }
      Path real;
      try {
        real = file.toRealPath();
      } catch (NoSuchFileException e) {
        throw new SecretException(ref, "no such secret: " + file + " does not exist");
      }
      if (!real.startsWith(realRoot) || real.equals(realRoot)) {
        throw new SecretException(ref, file + " leads out of the secret directory " + root);
      }
      for (Path dir = real.getParent(); !dir.equals(realRoot); dir = dir.getParent()) {
        SecretFiles.checkDirectory(dir);
      }
      return SecretFiles.read(real);
    } catch (IOException e) {
      throw new SecretException(ref, e.getMessage() != null ? e.getMessage() : e.toString(), e);
    }
  }

  @Override
  public String toString() {
    return "FileSecretStore[" + root + "]";
  }

  /** {@code file:<absolute directory>}. */
  public static final class Provider implements SecretResolverProvider {

    @Override
    public String scheme() {
      return "file";
    }

    @Override
    public SecretResolver create(String location, Map<String, String> env) {
      if (location.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("the secret directory contains NUL");
      }
      return new FileSecretStore(Path.of(location));
    }
  }
}
