package io.github.sparkmesos.docker;

import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code docker run} long options a task may pass as parameters (Mesos's
 * {@code DockerInfo.parameters}, Spark's {@code spark.mesos.executor.docker.parameters}): those the
 * Engine API can express, each with the form of its value. Mesos hands each one to the docker CLI as
 * {@code --option=value}, so only long names mean anything: a short alias ({@code v}, {@code p},
 * {@code e}, ...) would reach the CLI as {@code --v=...}, an unknown flag, and is refused naming the long
 * name. An option outside the catalogue is refused naming it; so are those the executor must own
 * ({@link #refused()}, each with its reason).
 *
 * <p>{@code volume} and {@code publish} are accepted, as Mesos passes them through to the docker CLI:
 * {@code volume=HOST:CONTAINER[:ro|rw]} (the host part is checked against the operator's allowed roots by
 * {@link DockerPolicy}) and {@code publish=[IP:]HOST:CONTAINER[/PROTO]} (the executor checks the host
 * port against the task's {@code ports}, as for port mappings).
 */
public final class DockerParameters {

  /** The form of an option's value. */
  public enum Form {
    /** {@code true} or {@code false} (as {@code --init=true}). */
    BOOLEAN("true or false", v -> v.equals("true") || v.equals("false")),
    /** A size: digits with an optional unit b, k, m, g (any case). */
    SIZE("a size such as 512m or 2g", v -> Patterns.SIZE.matcher(v).matches()),
    /** A size, or -1 for unlimited. */
    SIZE_OR_UNLIMITED("a size such as 512m, or -1", v -> v.equals("-1") || Patterns.SIZE.matcher(v).matches()),
    /** An integer, possibly negative. */
    INTEGER("an integer", v -> Patterns.INTEGER.matcher(v).matches()),
    /** A non-negative integer. */
    NATURAL("a non-negative integer", v -> Patterns.NATURAL.matcher(v).matches()),
    /** A positive decimal number. */
    DECIMAL("a decimal number such as 1.5", v -> Patterns.DECIMAL.matcher(v).matches()),
    /** {@code name=value}, a non-empty name. */
    NAME_EQUALS_VALUE("name=value", v -> v.indexOf('=') > 0),
    /** {@code name} or {@code name=value}. */
    NAME_OPTIONAL_VALUE("name or name=value", v -> !v.isEmpty() && !v.startsWith("=")),
    /** An environment variable {@code NAME=value}: {@code NAME} alone would copy the agent's value. */
    ENV("NAME=value (NAME alone would pass the agent's own value)",
        v -> v.indexOf('=') > 0 && Patterns.ENV_NAME.matcher(v.substring(0, v.indexOf('='))).matches()),
    /** {@code name=soft[:hard]}. */
    ULIMIT("name=soft[:hard], such as nofile=1024:2048", v -> Patterns.ULIMIT.matcher(v).matches()),
    /** {@code host:ip}. */
    HOST_IP("host:ip", v -> Patterns.ADD_HOST.matcher(v).matches()),
    /** An absolute path. */
    ABSOLUTE_PATH("an absolute path", v -> v.startsWith("/")),
    /** An absolute path with optional {@code :options}. */
    TMPFS("/path[:options]", v -> v.startsWith("/")),
    /** {@code /host[:/container[:perms]]}. */
    DEVICE("/host/device[:/container/device[:rwm]]", v -> Patterns.DEVICE.matcher(v).matches()),
    /** A CPU or memory-node list: {@code 0-3,5}. */
    CPU_LIST("a list such as 0-3,5", v -> Patterns.CPU_LIST.matcher(v).matches()),
    /** An IP address. */
    IP("an IP address", v -> Patterns.IP.matcher(v).matches()),
    /** A MAC address. */
    MAC("a MAC address such as 02:42:ac:11:00:02", v -> Patterns.MAC.matcher(v).matches()),
    /** A namespace mode: {@code host}, {@code private}, ... or {@code container:NAME}. */
    NAMESPACE("host, private, shareable, none or container:NAME",
        v -> Set.of("host", "private", "shareable", "none", "").contains(v) || v.startsWith("container:")),
    /** {@code HOST:CONTAINER[:ro|rw|z|Z...]} or a volume name. */
    BIND("HOST:CONTAINER[:OPTIONS]", v -> Patterns.BIND.matcher(v).matches()),
    /** {@code [IP:]HOST:CONTAINER[/PROTO]}. */
    PUBLISH("[IP:]HOST_PORT:CONTAINER_PORT[/tcp|udp|sctp]", v -> Patterns.PUBLISH.matcher(v).matches()),
    /** A network: host, bridge, none or a name. */
    NETWORK("host, bridge, none or a network name", v -> !v.isEmpty()),
    /** A signal: a number or a name such as SIGTERM. */
    SIGNAL("a signal such as SIGTERM or 15", v -> Patterns.SIGNAL.matcher(v).matches()),
    /** Any non-empty text. */
    TEXT("a non-empty value", v -> !v.isEmpty()),
    /** Any text, empty included (entrypoint= resets the image's). */
    ANY("any value", v -> true);

    private final String description;
    private final Predicate<String> valid;

    Form(String description, Predicate<String> valid) {
      this.description = description;
      this.valid = valid;
    }

    public boolean accepts(String value) {
      return valid.test(value);
    }

    public String description() {
      return description;
    }
  }

  private static final class Patterns {
    static final Pattern SIZE = Pattern.compile("[0-9]+(\\.[0-9]+)?[bkmgBKMG]?[bB]?");
    static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");
    static final Pattern NATURAL = Pattern.compile("[0-9]{1,18}");
    static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?|\\.[0-9]+");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern ULIMIT = Pattern.compile("[a-z]+=-?[0-9]+(:-?[0-9]+)?");
    static final Pattern ADD_HOST = Pattern.compile("[^:=\\s]+[:=](\\[?[0-9a-fA-F:.]+\\]?|host-gateway)");
    static final Pattern DEVICE = Pattern.compile("/[^:]*(:/[^:]*)?(:[rwm]{1,3})?");
    static final Pattern CPU_LIST = Pattern.compile("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");
    static final Pattern IP = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
    static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    static final Pattern BIND = Pattern.compile("[^:]+:/[^:]*(:[a-zA-Z,]+)?");
    static final Pattern PUBLISH =
        Pattern.compile("(([0-9.]+|\\[[0-9a-fA-F:]+\\]):)?[0-9]{1,5}:[0-9]{1,5}(/(tcp|udp|sctp))?");
    static final Pattern SIGNAL = Pattern.compile("[0-9]{1,2}|(SIG)?[A-Z0-9+-]+");
  }

  private static final Map<String, Form> OPTIONS = new LinkedHashMap<>();
  private static final Map<String, String> ALIASES = new LinkedHashMap<>();
  private static final Map<String, String> REFUSED = new LinkedHashMap<>();

  static {
    for (String o : List.of("init", "privileged", "read-only", "oom-kill-disable", "no-healthcheck")) {
      OPTIONS.put(o, Form.BOOLEAN);
    }
    for (String o : List.of("memory", "memory-reservation", "shm-size", "kernel-memory")) {
      OPTIONS.put(o, Form.SIZE);
    }
    OPTIONS.put("memory-swap", Form.SIZE_OR_UNLIMITED);
    for (String o : List.of("cpu-quota", "oom-score-adj", "pids-limit", "stop-timeout")) {
      OPTIONS.put(o, Form.INTEGER);
    }
    for (String o : List.of("cpu-shares", "cpu-period", "cpu-rt-period", "cpu-rt-runtime", "blkio-weight",
        "memory-swappiness")) {
      OPTIONS.put(o, Form.NATURAL);
    }
    OPTIONS.put("cpus", Form.DECIMAL);
    OPTIONS.put("env", Form.ENV);
    OPTIONS.put("label", Form.NAME_OPTIONAL_VALUE);
    OPTIONS.put("sysctl", Form.NAME_EQUALS_VALUE);
    OPTIONS.put("log-opt", Form.NAME_EQUALS_VALUE);
    OPTIONS.put("storage-opt", Form.NAME_EQUALS_VALUE);
    OPTIONS.put("ulimit", Form.ULIMIT);
    OPTIONS.put("add-host", Form.HOST_IP);
    OPTIONS.put("workdir", Form.ABSOLUTE_PATH);
    OPTIONS.put("tmpfs", Form.TMPFS);
    OPTIONS.put("device", Form.DEVICE);
    OPTIONS.put("cpuset-cpus", Form.CPU_LIST);
    OPTIONS.put("cpuset-mems", Form.CPU_LIST);
    OPTIONS.put("dns", Form.IP);
    OPTIONS.put("mac-address", Form.MAC);
    OPTIONS.put("ipc", Form.NAMESPACE);
    OPTIONS.put("pid", Form.NAMESPACE);
    OPTIONS.put("uts", Form.NAMESPACE);
    OPTIONS.put("userns", Form.NAMESPACE);
    OPTIONS.put("cgroupns", Form.NAMESPACE);
    OPTIONS.put("volume", Form.BIND);
    OPTIONS.put("publish", Form.PUBLISH);
    OPTIONS.put("network", Form.NETWORK);
    OPTIONS.put("stop-signal", Form.SIGNAL);
    for (String o : List.of("user", "dns-search", "dns-option", "cap-add", "cap-drop", "security-opt",
        "log-driver", "hostname", "domainname", "group-add", "expose", "cgroup-parent", "runtime",
        "device-cgroup-rule", "network-alias", "ip", "ip6", "gpus", "isolation", "platform", "volume-driver")) {
      OPTIONS.put(o, Form.TEXT);
    }
    OPTIONS.put("entrypoint", Form.ANY);

    ALIASES.put("net", "network");
    ALIASES.put("dns-opt", "dns-option");
    ALIASES.put("net-alias", "network-alias");

    REFUSED.put("restart", "the executor supervises the container and reports its one exit to Mesos; a restart"
        + " policy would run the command again behind the task's back and keep the container past the task");
    REFUSED.put("rm", "the executor removes the container itself, after it has read the exit status");
    REFUSED.put("detach", "the executor decides how the container is attached");
    REFUSED.put("name", "the executor names the container (the agent finds it by that name)");
    REFUSED.put("cidfile", "it writes a file on the agent");
    REFUSED.put("env-file", "it names a file on the agent, not in the task; pass env=NAME=value entries instead");
    REFUSED.put("label-file", "it names a file on the agent, not in the task; pass label=name=value entries instead");
    REFUSED.put("volumes-from", "it would mount another container's volumes, outside the task");
    REFUSED.put("mount", "not supported; use the task's volumes or volume=HOST:CONTAINER");
    REFUSED.put("interactive", "a task has no terminal or standard input");
    REFUSED.put("tty", "a task has no terminal");
    REFUSED.put("attach", "the executor attaches the container's output to the sandbox");
    REFUSED.put("publish-all", "publish ports one by one, inside the task's ports resource");
    REFUSED.put("pull", "the image is pulled as forcePullImage says");
    REFUSED.put("health-cmd", "use the task's Mesos health check");
    REFUSED.put("link", "legacy links are not supported; use a user network");
  }

  /** docker run's short aliases, which only work as {@code -x} on the CLI, never as {@code --x=}. */
  private static final Map<String, String> SHORT = Map.of("v", "volume", "p", "publish", "e", "env", "l", "label",
      "u", "user", "w", "workdir", "h", "hostname", "m", "memory", "c", "cpu-shares", "P", "publish-all");

  private DockerParameters() {}

  /** The long options accepted, by canonical name, with the form of their values. */
  public static Map<String, Form> options() {
    return Collections.unmodifiableMap(OPTIONS);
  }

  /** The options refused on purpose, with the reason. */
  public static Map<String, String> refused() {
    return Collections.unmodifiableMap(REFUSED);
  }

  /** The canonical name of an option: {@code net} is {@code network}, {@code dns-opt} is {@code dns-option}. */
  public static String canonical(String option) {
    return ALIASES.getOrDefault(option, option);
  }

  /**
   * Checks every parameter and gives them back with canonical option names, in order, repeated keys
   * kept. {@code where} names the list in messages, e.g. {@code parameters}; an entry is named
   * {@code where[i] (option)}.
   */
  public static List<Parameter> check(List<Parameter> parameters, String where) throws DockerSettingException {
    List<Parameter> checked = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      checked.add(check(parameters.get(i), where + "[" + i + "]"));
    }
    return checked;
  }

  /** Checks one parameter; {@code where} names it in a message. */
  public static Parameter check(Parameter parameter, String where) throws DockerSettingException {
    String given = parameter.option();
    String setting = where + " (" + given + ")";
    String option = given.startsWith("--") ? given.substring(2) : given;
    if (option.isEmpty()) {
      throw new DockerSettingException(where, "the option name is empty (expected option=value)");
    }
    if (SHORT.containsKey(option)) {
      throw new DockerSettingException(setting, "'" + option + "' is docker run's short alias, which Mesos would pass"
          + " as --" + option + "=..., an unknown flag; write '" + SHORT.get(option) + "'");
    }
    option = canonical(option);
    if (REFUSED.containsKey(option)) {
      throw new DockerSettingException(setting, "--" + option + " is not allowed: " + REFUSED.get(option));
    }
    Form form = OPTIONS.get(option);
    if (form == null) {
      throw new DockerSettingException(setting, "unknown docker run option '" + given + "' (known: "
          + new TreeSet<>(OPTIONS.keySet()) + ")");
    }
    String value = parameter.value();
    if (!form.accepts(value)) {
      throw new DockerSettingException(setting, "the value " + shown(option, value) + " is not " + form.description());
    }
    if (option.equals("oom-score-adj")) {
      long n = Long.parseLong(value);
      if (n < -1000 || n > 1000) {
        throw new DockerSettingException(setting, "the value " + value + " is not in -1000..1000");
      }
    }
    if (option.equals("publish")) {
      for (String port : publishPorts(value)) {
        int n = Integer.parseInt(port);
        if (n < 1 || n > 65535) {
          throw new DockerSettingException(setting, "port " + port + " is not in 1-65535");
        }
      }
    }
    return new Parameter(option, value);
  }

  /**
   * The host port and container port of a {@code publish} value ({@code [IP:]HOST:CONTAINER[/PROTO]}),
   * as text.
   */
  public static List<String> publishPorts(String value) {
    String ports = value.contains("/") ? value.substring(0, value.indexOf('/')) : value;
    int last = ports.lastIndexOf(':');
    int before = ports.lastIndexOf(':', last - 1);
    return List.of(ports.substring(before + 1, last), ports.substring(last + 1));
  }

  /** A value as a message may show it: never an {@code env} value, only its variable's name. */
  static String shown(String option, String value) {
    if (option.equals("env")) {
      int eq = value.indexOf('=');
      return "'" + (eq < 0 ? value : value.substring(0, eq) + "=<hidden>") + "'";
    }
    return "'" + value + "'";
  }
}
