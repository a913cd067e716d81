package io.github.sparkmesos.fetcher.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Stream copying that tells read failures, write failures and an exhausted budget apart. */
final class IoCopy {

  static final int BUFFER = 64 * 1024;

  private IoCopy() {
  }

  /** Reading the input failed; {@link #original()} is what the input threw. */
  static final class ReadFailed extends IOException {
    ReadFailed(IOException cause) {
      super(TransferStream.messageOf(cause), cause);
    }

    IOException original() {
      return (IOException) getCause();
    }
  }

  /** Writing the output failed. */
  static final class WriteFailed extends IOException {
    WriteFailed(IOException cause) {
      super(TransferStream.messageOf(cause), cause);
    }
  }

  /** The input expanded beyond its {@link ExpansionBudget}. */
  static final class BudgetExceeded extends IOException {
    BudgetExceeded() {
      super("the expanded size limit was exceeded");
    }
  }

  static long copy(InputStream in, OutputStream out, ExpansionBudget budget) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        throw new ReadFailed(e);
      }
      if (n == -1) {
        return total;
      }
      if (!budget.take(n)) {
        throw new BudgetExceeded();
      }
      try {
        out.write(buffer, 0, n);
      } catch (IOException e) {
        throw new WriteFailed(e);
      }
      total += n;
    }
  }

  /**
   * A view of {@code in} whose {@code close()} does nothing, so that a decompressor can be closed (to free
   * its native memory) while the source stays open for {@link TransferStream#finish()}.
   */
  static InputStream nonClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {
        // the owner of `in` closes it
      }
    };
  }
}
