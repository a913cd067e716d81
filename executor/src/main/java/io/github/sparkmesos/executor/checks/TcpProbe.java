package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.mesos.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * Opens and closes a TCP connection, as Mesos's {@code mesos-tcp-connect}: connected is {@code succeeded:
 * true}, refused or unreachable is {@code succeeded: false} (Mesos cannot tell its helper's errors apart
 * and reports them all as a failed connection), and no answer within the timeout is a failure of the
 * probe (Mesos kills the helper).
 */
final class TcpProbe implements Probe {

  private final InetSocketAddress address;
  private final Optional<Duration> timeout;
  private final Optional<java.nio.file.Path> networkNamespace;
  private Socket inFlight;
  private boolean abandoned;

  TcpProbe(InetSocketAddress address, Optional<Duration> timeout) {
    this(address, timeout, Optional.empty());
  }

  /** @param networkNamespace where the task's loopback is, when not the executor's (a task in its CNI networks) */
  TcpProbe(InetSocketAddress address, Optional<Duration> timeout, Optional<java.nio.file.Path> networkNamespace) {
    this.address = address;
    this.timeout = timeout;
    this.networkNamespace = networkNamespace;
  }

  @Override
  public String kind() {
    return "TCP";
  }

  @Override
  public ProbeResult run() {
    if (networkNamespace.isEmpty()) {
      return connect();
    }
    try {
      // the socket is made on a thread inside the task's namespace: its 127.0.0.1 is the task's
      return io.github.sparkmesos.os.NamespaceThread.inNetworkNamespace(networkNamespace.get(), this::connect);
    } catch (Exception e) {
      return new ProbeResult.Failed("TCP probe in the task's network namespace: " + e.getMessage());
    }
  }

  private ProbeResult connect() {
    Socket socket = new Socket();
    synchronized (this) {
      if (abandoned) {
        return new ProbeResult.Failed("abandoned");
      }
      inFlight = socket;
    }
    try (socket) {
      // Socket.connect takes 0 as "no limit": a positive timeout is at least 1 ms
      socket.connect(address, timeout.map(t -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, t.toMillis())))
          .orElse(0));
      return succeeded(true);
    } catch (SocketTimeoutException e) {
      return new ProbeResult.Failed("TCP connection to " + address + " timed out after "
          + Durations.format(timeout.orElse(Duration.ZERO)));
    } catch (IOException e) {
      return succeeded(false);
    } finally {
      synchronized (this) {
        inFlight = null;
      }
    }
  }

  private static ProbeResult succeeded(boolean succeeded) {
    return new ProbeResult.Performed(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP)
        .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(succeeded)).build());
  }

  @Override
  public synchronized void abandon() {
    abandoned = true;
    if (inFlight != null) {
      try {
        inFlight.close();
      } catch (IOException e) {
        // closing is all abandoning needs
      }
    }
  }
}
