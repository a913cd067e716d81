package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.os.UserAccount;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * Gives a task's directory, and what the executor put in it (fetched files, extracted archives,
 * secret files), to the user the task runs as, as the agent chowns a sandbox to its task's user. Links
 * are changed themselves (lchown) and never followed, so nothing outside the directory changes hands;
 * the executor's own state directory stays the executor's.
 */
final class TaskOwnership {

  private TaskOwnership() {}

  /**
   * Gives files the executor wrote outside the task's directory for it (its file secrets), and the directory
   * that holds each, to the task's user.
   */
  static void giveFiles(java.util.List<Path> files, UserAccount user) throws IOException {
    for (Path file : files) {
      for (Path path : java.util.List.of(file.getParent(), file)) {
        Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  static void giveTo(Path directory, UserAccount user, String keep) throws IOException {
    UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
    // by id, not by name: the ids are what the task runs with
    UserPrincipal owner = users.lookupPrincipalByName(String.valueOf(user.uid()));
    GroupPrincipal group = users.lookupPrincipalByGroupName(String.valueOf(user.gid()));
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(directory) && dir.getFileName().toString().equals(keep)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        give(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        give(file);
        return FileVisitResult.CONTINUE;
      }

      private void give(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
            LinkOption.NOFOLLOW_LINKS);
        view.setOwner(owner);
        view.setGroup(group);
      }
    });
  }
}
