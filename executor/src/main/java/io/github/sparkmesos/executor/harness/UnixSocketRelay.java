package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.executor.util.Log;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's executor socket (--http_executor_domain_sockets) for the harness: accepts on a Unix
 * socket and relays each connection, byte for byte in both directions, to the loopback TCP agent
 * API. It remembers the TCP ends it opened, so the API can tell relayed requests apart and serve
 * them only the paths the agent serves on its socket.
 */
final class UnixSocketRelay implements Closeable {

  private final Path path;
  private final InetSocketAddress target;
  private final ServerSocketChannel server;
  private final Set<InetSocketAddress> relayEnds = ConcurrentHashMap.newKeySet();
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

  private UnixSocketRelay(Path path, InetSocketAddress target, ServerSocketChannel server) {
    this.path = path;
    this.target = target;
    this.server = server;
  }

  static UnixSocketRelay start(Path path, InetSocketAddress target) throws IOException {
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    UnixSocketRelay relay = new UnixSocketRelay(path, target, server);
    thread("agent-socket-accept", relay::acceptLoop).start();
    return relay;
  }

  Path path() {
    return path;
  }

  /** Whether a request to the API came in through this relay (its peer is one of the relay's TCP ends). */
  boolean relayed(InetSocketAddress apiPeer) {
    return relayEnds.contains(apiPeer);
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel unix;
      try {
        unix = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        SocketChannel tcp = SocketChannel.open(target);
        InetSocketAddress end = (InetSocketAddress) tcp.getLocalAddress();
        relayEnds.add(end);
        open.add(unix);
        open.add(tcp);
        Connection c = new Connection(unix, tcp, end);
        thread("agent-socket-in", () -> c.pump(unix, tcp)).start();
        thread("agent-socket-out", () -> c.pump(tcp, unix)).start();
      } catch (IOException e) {
        Log.warn("agent socket: cannot reach the API at " + target + ": " + e.getMessage());
        closeQuietly(unix);
      }
    }
  }

  /** One relayed connection: each direction ends with a half close; the second end closes both. */
  private final class Connection {
    private final SocketChannel unix;
    private final SocketChannel tcp;
    private final InetSocketAddress end;
    private int directionsDone;

    Connection(SocketChannel unix, SocketChannel tcp, InetSocketAddress end) {
      this.unix = unix;
      this.tcp = tcp;
      this.end = end;
    }

    void pump(SocketChannel from, SocketChannel to) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      try {
        while (from.read(buffer) >= 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            to.write(buffer);
          }
          buffer.clear();
        }
        to.shutdownOutput();
        finished(false);
      } catch (IOException e) {
        finished(true);
      }
    }

    private synchronized void finished(boolean broken) {
      if (broken || ++directionsDone == 2) {
        closeQuietly(unix);
        closeQuietly(tcp);
        open.remove(unix);
        open.remove(tcp);
        relayEnds.remove(end);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(UnixSocketRelay::closeQuietly);
    Files.deleteIfExists(path);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}
