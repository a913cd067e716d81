package io.github.sparkmesos.executor.mesos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import javax.net.SocketFactory;

/** Sockets to one Unix domain socket file, whatever host and port they are asked for. */
public final class UnixSocketFactory extends SocketFactory {

  private final UnixDomainSocketAddress address;

  public UnixSocketFactory(Path socket) {
    this.address = UnixDomainSocketAddress.of(socket);
  }

  @Override
  public Socket createSocket() {
    return new UnixSocket(address);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected();
  }

  private Socket connected() throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }
}
