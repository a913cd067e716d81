package io.github.sparkmesos.executor.mesos;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Mesos RecordIO: each record is its length in ASCII decimal bytes, a newline, then exactly that
 * many bytes. Records do not line up with HTTP chunks, so the reader works on the byte stream.
 */
public final class RecordIo {

  /** Larger records are refused rather than allocated. */
  static final long MAX_RECORD = 256L << 20;

  private RecordIo() {}

  public static byte[] frame(byte[] record) {
    byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] framed = new byte[header.length + record.length];
    System.arraycopy(header, 0, framed, 0, header.length);
    System.arraycopy(record, 0, framed, header.length, record.length);
    return framed;
  }

  /** Reads records one at a time from a stream. */
  public static final class Reader {
    private final InputStream in;

    public Reader(InputStream in) {
      this.in = in;
    }

    /** The next record, or null at a clean end of stream (between records). */
    public byte[] next() throws IOException {
      long length = 0;
      int digits = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          if (digits == 0) {
            return null;
          }
          throw new EOFException("RecordIO stream ended inside a record length");
        }
        if (b == '\n') {
          break;
        }
        if (b < '0' || b > '9') {
          throw new IOException("RecordIO: expected a decimal length, got byte 0x" + Integer.toHexString(b));
        }
        length = length * 10 + (b - '0');
        digits++;
        if (length > MAX_RECORD) {
          throw new IOException("RecordIO: record longer than " + MAX_RECORD + " bytes");
        }
      }
      if (digits == 0) {
        throw new IOException("RecordIO: empty record length");
      }
      // not readNBytes: it ends with a zero-length read, which okio's stream blocks on until more
      // data arrives, and on an event stream that may be half an hour away
      byte[] record = new byte[(int) length];
      int have = 0;
      while (have < length) {
        int n = in.read(record, have, (int) length - have);
        if (n < 0) {
          throw new EOFException("RecordIO stream ended after " + have + " of " + length + " bytes");
        }
        have += n;
      }
      return record;
    }
  }
}
