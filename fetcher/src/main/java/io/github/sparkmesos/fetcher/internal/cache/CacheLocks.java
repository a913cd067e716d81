package io.github.sparkmesos.fetcher.internal.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Shared and exclusive locks on lock files, between threads of this JVM and between processes.
 *
 * <p>{@link FileChannel#lock} is a POSIX record lock: it belongs to the process, a second lock on the same
 * file from the same JVM throws {@link OverlappingFileLockException}, and closing any channel of the file
 * may drop every lock the process holds on it. So each lock file has one in-JVM {@link ReentrantReadWriteLock}
 * in front of it, and the JVM holds at most one file lock (through one channel) per file at a time:
 * <ul>
 *   <li>shared: the in-JVM read lock; the first reader of the JVM takes the shared file lock and the last
 *       one releases it;</li>
 *   <li>exclusive: the in-JVM write lock (so no reader of this JVM holds the file), then the exclusive
 *       file lock;</li>
 *   <li>{@link #tryExclusive}: the same without waiting, for eviction.</li>
 * </ul>
 * The write lock is reentrant: a thread that holds an exclusive lease must not ask for another lease on
 * the same file. Lock files are never deleted (deleting a lock file races with a process that opened it
 * and is about to lock it).
 */
final class CacheLocks {

  /** A held lock; {@link #close()} releases it. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private static final Map<Path, Slot> SLOTS = new HashMap<>();

  private CacheLocks() {
  }

  /** One lock file, as seen by this JVM. */
  private static final class Slot {
    final Path file;
    final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    int references; // guarded by SLOTS
    int sharedHolders; // guarded by this
    FileChannel sharedChannel; // guarded by this
    FileLock sharedLock; // guarded by this

    Slot(Path file) {
      this.file = file;
    }
  }

  /**
   * Waits for a shared lock on {@code file} (created if missing). {@code onWait} runs before waiting, if
   * the lock is not free.
   */
  static Lease shared(Path file, Runnable onWait) throws IOException, InterruptedException {
    Slot slot = reference(file);
    boolean waited = false;
    try {
      if (!slot.rw.readLock().tryLock()) {
        onWait.run();
        waited = true;
        slot.rw.readLock().lockInterruptibly();
      }
      try {
        synchronized (slot) {
          if (slot.sharedHolders == 0) {
            FileChannel channel = open(slot.file);
            try {
              FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
              if (lock == null) {
                if (!waited) {
                  onWait.run();
                }
                lock = channel.lock(0, Long.MAX_VALUE, true);
              }
              slot.sharedChannel = channel;
              slot.sharedLock = lock;
            } catch (IOException | RuntimeException e) {
              closeQuietly(channel);
              throw e;
            }
          }
          slot.sharedHolders++;
        }
      } catch (IOException | RuntimeException e) {
        slot.rw.readLock().unlock();
        throw e;
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      unreference(slot);
      throw e;
    }
    return new Lease() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        synchronized (slot) {
          if (--slot.sharedHolders == 0) {
            release(slot.sharedLock);
            closeQuietly(slot.sharedChannel);
            slot.sharedLock = null;
            slot.sharedChannel = null;
          }
        }
        slot.rw.readLock().unlock();
        unreference(slot);
      }
    };
  }

  /** Waits for the exclusive lock on {@code file}; {@code onWait} runs before waiting, if it is not free. */
  static Lease exclusive(Path file, Runnable onWait) throws IOException, InterruptedException {
    Slot slot = reference(file);
    try {
      boolean waited = false;
      if (!slot.rw.writeLock().tryLock()) {
        onWait.run();
        waited = true;
        slot.rw.writeLock().lockInterruptibly();
      }
      try {
        FileChannel channel = open(slot.file);
        try {
          FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
          if (lock == null) {
            if (!waited) {
              onWait.run();
            }
            lock = channel.lock(0, Long.MAX_VALUE, false);
          }
          return exclusiveLease(slot, channel, lock);
        } catch (IOException | RuntimeException e) {
          closeQuietly(channel);
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        slot.rw.writeLock().unlock();
        throw e;
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      unreference(slot);
      throw e;
    }
  }

  /** The exclusive lock on {@code file} if nobody (thread or process) holds any lock on it, else null. */
  static Lease tryExclusive(Path file) throws IOException {
    Slot slot = reference(file);
    if (!slot.rw.writeLock().tryLock()) {
      unreference(slot);
      return null;
    }
    FileChannel channel = null;
    try {
      channel = open(slot.file);
      FileLock lock;
      try {
        lock = channel.tryLock(0, Long.MAX_VALUE, false);
      } catch (OverlappingFileLockException e) {
        lock = null; // this thread holds it already (the write lock is reentrant)
      }
      if (lock != null) {
        return exclusiveLease(slot, channel, lock);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      slot.rw.writeLock().unlock();
      unreference(slot);
      throw e;
    }
    closeQuietly(channel);
    slot.rw.writeLock().unlock();
    unreference(slot);
    return null;
  }

  private static Lease exclusiveLease(Slot slot, FileChannel channel, FileLock lock) {
    return new Lease() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        release(lock);
        closeQuietly(channel);
        slot.rw.writeLock().unlock();
        unreference(slot);
      }
    };
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static Slot reference(Path file) {
    synchronized (SLOTS) {
      Slot slot = SLOTS.computeIfAbsent(file.toAbsolutePath().normalize(), Slot::new);
      slot.references++;
      return slot;
    }
  }

  private static void unreference(Slot slot) {
    synchronized (SLOTS) {
      if (--slot.references == 0) {
        SLOTS.remove(slot.file);
      }
    }
  }

  private static void release(FileLock lock) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    } catch (IOException ignored) {
      // closing the channel releases it as well
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was written through it
    }
  }
}
