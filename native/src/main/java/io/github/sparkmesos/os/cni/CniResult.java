package io.github.sparkmesos.os.cni;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * What a plugin's {@code ADD} printed: the old result shape Mesos parses ({@code ip4.ip}, {@code ip6.ip},
 * CNI 0.1 and 0.2) or the current one ({@code ips[].address}, CNI 0.3 and later), and its {@code dns}.
 *
 * @param addresses the container's addresses, without their prefix length ("10.231.0.2")
 */
public record CniResult(JsonObject json, List<String> addresses, Dns dns) {

  /** The resolver configuration a plugin returned ({@code dns}); empty lists when it returned none. */
  public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
    static final Dns NONE = new Dns(List.of(), null, List.of(), List.of());

    /** resolv.conf as Mesos's {@code formatResolverConfig} writes it. */
    public String resolvConf() {
      StringBuilder s = new StringBuilder();
      if (domain != null) {
        s.append("domain ").append(domain).append('\n');
      }
      if (!search.isEmpty()) {
        s.append("search ").append(String.join(" ", search)).append('\n');
      }
      if (!options.isEmpty()) {
        s.append("options ").append(String.join(" ", options)).append('\n');
      }
      nameservers.forEach(n -> s.append("nameserver ").append(n).append('\n'));
      return s.toString();
    }
  }

  public static CniResult parse(String stdout) {
    JsonElement parsed = JsonParser.parseString(stdout);
    if (!parsed.isJsonObject()) {
      throw new IllegalArgumentException("not a JSON object: " + stdout);
    }
    JsonObject json = parsed.getAsJsonObject();
    List<String> addresses = new ArrayList<>();
    if (json.has("ips") && json.get("ips").isJsonArray()) {
      for (JsonElement ip : json.getAsJsonArray("ips")) {
        if (ip.isJsonObject() && ip.getAsJsonObject().has("address")) {
          addresses.add(withoutPrefix(ip.getAsJsonObject().get("address").getAsString()));
        }
      }
    }
    for (String family : List.of("ip4", "ip6")) {
      if (json.has(family) && json.get(family).isJsonObject() && json.getAsJsonObject(family).has("ip")) {
        addresses.add(withoutPrefix(json.getAsJsonObject(family).get("ip").getAsString()));
      }
    }
    Dns dns = Dns.NONE;
    if (json.has("dns") && json.get("dns").isJsonObject()) {
      JsonObject d = json.getAsJsonObject("dns");
      dns = new Dns(strings(d, "nameservers"), d.has("domain") ? d.get("domain").getAsString() : null,
          strings(d, "search"), strings(d, "options"));
    }
    return new CniResult(json, List.copyOf(addresses), dns);
  }

  private static List<String> strings(JsonObject o, String key) {
    List<String> values = new ArrayList<>();
    if (o.has(key) && o.get(key).isJsonArray()) {
      for (JsonElement e : (JsonArray) o.get(key)) {
        values.add(e.getAsString());
      }
    }
    return List.copyOf(values);
  }

  private static String withoutPrefix(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }
}
