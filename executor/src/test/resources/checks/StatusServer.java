import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A task's own server for the check tests, run with `java StatusServer.java PORT`: HTTP on
 * 127.0.0.1:PORT, ./ready written once it listens; every request is answered with the status code
 * in ./code (200 while there is none).
 */
public class StatusServer {
  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext("/", exchange -> {
      Path code = Path.of("code");
      int status = Files.exists(code) ? Integer.parseInt(Files.readString(code).trim()) : 200;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    Files.writeString(Path.of("ready"), "listening\n");
  }
}
