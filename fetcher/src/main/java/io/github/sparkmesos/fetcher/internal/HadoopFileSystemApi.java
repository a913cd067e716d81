package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;

/**
 * The Hadoop FileSystem API, reached by reflection so that the fetcher needs no Hadoop jar:
 * {@code FileSystem.get(uri, new Configuration())}, {@code getFileStatus} (to refuse directories and learn the
 * length), then {@code open}. The Configuration reads {@code core-site.xml} and friends from the classpath,
 * as in any Hadoop client; the FileSystem instance is Hadoop's cached one and is not closed. Hadoop's clients
 * have their own retry policies, so there are no further attempts here.
 */
final class HadoopFileSystemApi {

  private final Constructor<?> newConfiguration;
  private final Constructor<?> newPath;
  private final Method get;
  private final Method getFileStatus;
  private final Method open;
  private final Method getLen;
  private final Method isDirectory;

  private HadoopFileSystemApi(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> configuration = Class.forName("org.apache.hadoop.conf.Configuration", true, loader);
    Class<?> fileSystem = Class.forName("org.apache.hadoop.fs.FileSystem", true, loader);
    Class<?> path = Class.forName("org.apache.hadoop.fs.Path", true, loader);
    Class<?> fileStatus = Class.forName("org.apache.hadoop.fs.FileStatus", true, loader);
    newConfiguration = configuration.getConstructor();
    newPath = path.getConstructor(URI.class);
    get = fileSystem.getMethod("get", URI.class, configuration);
    getFileStatus = fileSystem.getMethod("getFileStatus", path);
    open = fileSystem.getMethod("open", path);
    getLen = fileStatus.getMethod("getLen");
    isDirectory = fileStatus.getMethod("isDirectory");
  }

  /** The API if {@code loader} has it, else null. */
  static HadoopFileSystemApi find(ClassLoader loader) throws StepException {
    if (loader == null) {
      return null;
    }
    try {
      Class.forName("org.apache.hadoop.fs.FileSystem", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    try {
      return new HadoopFileSystemApi(loader);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new StepException("the Hadoop client on the classpath is not usable: " + e, e);
    }
  }

  TransferStream open(SourceLocation.Hadoop location, String uri, FetchProgress progress) throws StepException {
    URI target = location.uri();
    try {
      Object configuration = newConfiguration.newInstance();
      Object path = newPath.newInstance(target);
      Object fs = get.invoke(null, target, configuration);
      Object status = getFileStatus.invoke(fs, path);
      if ((Boolean) isDirectory.invoke(status)) {
        throw new StepException("'" + uri + "' is a directory");
      }
      long length = (Long) getLen.invoke(status);
      InputStream in = (InputStream) open.invoke(fs, path);
      return new TransferStream(in, length, uri, progress,
          e -> "reading from " + location.scheme() + " failed: " + redacted(e, target), null);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof FileNotFoundException) {
        throw new StepException("no such file '" + uri + "'");
      }
      throw new StepException("the Hadoop FileSystem API failed: " + cause.getClass().getSimpleName() + ": "
          + redacted(cause, target));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw new StepException("the Hadoop FileSystem API failed: " + e.getClass().getSimpleName() + ": "
          + redacted(e, target));
    }
  }

  /** The message of a Hadoop exception, which may repeat the URI, without its user information. */
  private static String redacted(Throwable e, URI uri) {
    return UriRedactor.redactIn(TransferStream.messageOf(e), uri);
  }
}
