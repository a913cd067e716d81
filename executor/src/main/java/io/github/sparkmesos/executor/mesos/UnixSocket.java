package io.github.sparkmesos.executor.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Socket} over a Unix domain {@link SocketChannel}, for OkHttp. The channel is
 * non-blocking with one selector per direction, so a read can wait while a write goes on, and a
 * read honours {@link #setSoTimeout} (OkHttp probes idle connections with a 1 ms read).
 * {@link #connect} ignores the address it is given and connects to the socket file.
 */
final class UnixSocket extends Socket {

  private final UnixDomainSocketAddress address;
  private volatile SocketChannel channel;
  private Selector readable;
  private Selector writable;
  private volatile int timeoutMillis;
  private volatile boolean closed;
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;

  UnixSocket(UnixDomainSocketAddress address) {
    this.address = address;
  }

  @Override
  public synchronized void connect(SocketAddress ignored, int timeout) throws IOException {
    if (closed) {
      throw new SocketException("Socket is closed");
    }
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(address);
      ch.configureBlocking(false);
      readable = Selector.open();
      writable = Selector.open();
      ch.register(readable, SelectionKey.OP_READ);
      ch.register(writable, SelectionKey.OP_WRITE);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot connect to " + address.getPath() + ": " + e.getMessage(), e);
    }
    channel = ch;
  }

  @Override
  public void connect(SocketAddress ignored) throws IOException {
    connect(ignored, 0);
  }

  @Override
  public InputStream getInputStream() throws IOException {
    open();
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return UnixSocket.this.read(ByteBuffer.wrap(b, off, len));
      }
    };
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    open();
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        UnixSocket.this.write(ByteBuffer.wrap(b, off, len));
      }
    };
  }

  private int read(ByteBuffer buffer) throws IOException {
    if (!buffer.hasRemaining()) {
      return 0;
    }
    int timeout = timeoutMillis;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
    while (true) {
      int n = open().read(buffer);
      if (n != 0) {
        return n;
      }
      long left = timeout == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (timeout != 0 && left <= 0) {
        throw new SocketTimeoutException("Read timed out");
      }
      await(readable, left);
    }
  }

  private void write(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (open().write(buffer) == 0) {
        await(writable, 0);
      }
    }
  }

  private void await(Selector selector, long millis) throws IOException {
    try {
      selector.select(millis);
      selector.selectedKeys().clear();
    } catch (ClosedSelectorException e) {
      throw new SocketException("Socket closed");
    }
  }

  private SocketChannel open() throws SocketException {
    SocketChannel ch = channel;
    if (closed || ch == null) {
      throw new SocketException(closed ? "Socket closed" : "Socket is not connected");
    }
    return ch;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      // closing the selectors wakes a thread waiting in one
      readable.close();
      writable.close();
      channel.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isConnected() {
    return channel != null;
  }

  @Override
  public void shutdownInput() throws IOException {
    open().shutdownInput();
    inputShutdown = true;
  }

  @Override
  public void shutdownOutput() throws IOException {
    open().shutdownOutput();
    outputShutdown = true;
  }

  @Override
  public boolean isInputShutdown() {
    return inputShutdown;
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown;
  }

  @Override
  public void setSoTimeout(int timeout) {
    timeoutMillis = timeout;
  }

  @Override
  public int getSoTimeout() {
    return timeoutMillis;
  }

  @Override
  public void setTcpNoDelay(boolean on) {}

  @Override
  public void setKeepAlive(boolean on) {}

  // OkHttp asks for addresses in logs and events; a Unix socket has none
  @Override
  public InetAddress getInetAddress() {
    return InetAddress.getLoopbackAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return InetAddress.getLoopbackAddress();
  }

  @Override
  public int getPort() {
    return 0;
  }

  @Override
  public int getLocalPort() {
    return -1;
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return address;
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return null;
  }

  @Override
  public String toString() {
    return "UnixSocket[" + address.getPath() + (closed ? ", closed" : "") + "]";
  }
}
