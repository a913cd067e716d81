package io.github.sparkmesos.executor.cli;

import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.executor.task.FetchUri;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.TaskSecret;
import io.github.sparkmesos.executor.task.TaskValidation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * A {@link LaunchPlan} as {@code check} prints it: one section per task, one line per fact, in a fixed
 * order. A secret is shown as {@value #SECRET} with its reference, never its value: the
 * whole section passes through a mask of every secret value of the plan, raw and base64, before it is returned.
 */
final class PlanPrinter {

  static final String SECRET = "<secret>";

  private PlanPrinter() {}

  /** @param placeholderSandbox the sandbox in the plan is a placeholder, not a real directory */
  static String print(TaskInfo task, TaskValidation.Path path, LaunchPlan plan, boolean placeholderSandbox) {
    List<String> lines = new ArrayList<>();
    lines.add("task " + plan.taskId());
    lines.add("  path:        " + path.description());
    lines.add("  directory:   " + plan.directory() + (plan.inSandbox() ? " (the executor's sandbox)" : "")
        + (placeholderSandbox ? " (placeholder sandbox; --sandbox DIR sets it)" : ""));
    lines.add("  command:     " + (plan.imageEntrypoint() ? "(the image's entrypoint) " : "") + argv(plan.argv()));
    lines.add("  environment:" + (plan.environment().isEmpty() ? " none" : ""));
    for (Map.Entry<String, String> e : plan.environment().entrySet()) {
      lines.add("    " + e.getKey() + "=" + variable(plan, e.getKey(), e.getValue()));
    }
    for (TaskSecret s : plan.secrets()) {
      if (s.delivery() == TaskSecret.Delivery.ENVIRONMENT) {
        lines.add("    " + s.target() + "=" + SECRET + " (" + s.source() + ")");
      }
    }
    List<TaskSecret> files = plan.secrets().stream().filter(s -> s.delivery() == TaskSecret.Delivery.FILE).toList();
    lines.add("  secret files:" + (files.isEmpty() ? " none" : ""));
    for (TaskSecret s : files) {
      lines.add("    " + s.target() + " <- " + s.source() + " (mode 0400, removed when the task ends)");
    }
    lines.add("  uris:" + (plan.uris().isEmpty() ? "        none" : ""));
    for (FetchUri uri : plan.uris()) {
      lines.add("    " + uri + " (extract " + uri.extract() + ", executable " + uri.executable() + ", cache "
          + uri.cache() + (uri.outputFile() == null ? "" : ", output_file " + uri.outputFile()) + ")");
    }
    lines.add("  container:" + (plan.container().isPresent() ? "" : "   none (a process on this host)"));
    plan.container().ifPresent(c -> container(lines, c, plan.containerizer()));
    lines.add("  networks:    " + (plan.networks().isEmpty() ? "none" : plan.networks().stream()
        .map(n -> n.name() + (n.labels().isEmpty() ? "" : " " + n.labels())).collect(Collectors.joining(", "))
        + (io.github.sparkmesos.executor.runtime.CniRuntime.joinsNetworks(plan)
            ? " (joined through CNI, from " + io.github.sparkmesos.executor.runtime.CniSettings.CONFIG_DIR + ")" : "")));
    plan.hostname().ifPresent(h -> lines.add("  hostname:    " + h + " (in its own network namespace)"));
    lines.add("  labels:      " + labels(task.getLabels()));
    lines.add("  kill grace:  " + plan.killGracePeriod().map(PlanPrinter::duration)
        .orElse("none given (default 3s)"));
    lines.add("  max completion time: " + plan.maxCompletionTime().map(PlanPrinter::duration).orElse("none"));
    lines.add("  health check: " + plan.healthCheck().map(PlanPrinter::healthCheck).orElse("none"));
    lines.add("  check:       " + plan.check().map(PlanPrinter::check).orElse("none"));
    lines.add("  resources:   " + (plan.resources().equals(LaunchPlan.Resources.NONE) ? "none" : plan.resources()));
    lines.add("  warnings:" + (plan.warnings().isEmpty() ? "    none" : ""));
    plan.warnings().forEach(w -> lines.add("    " + w));
    return mask(String.join("\n", lines) + "\n", plan);
  }

  private static String variable(LaunchPlan plan, String name, String value) {
    return plan.secretValues().contains(value) ? SECRET : quote(value);
  }

  private static void container(List<String> lines, ContainerSpec c, LaunchPlan.Containerizer containerizer) {
    lines.add("    image:       " + c.image() + (containerizer == LaunchPlan.Containerizer.MESOS
        ? " (asked of the Mesos containerizer)" : ""));
    lines.add("    force pull:  " + c.forcePull());
    lines.add("    network:     " + c.network() + (c.networkLabels().isEmpty() ? "" : " " + c.networkLabels()));
    lines.add("    volumes:     " + (c.volumes().isEmpty() ? "none" : c.volumes().stream().map(Object::toString)
        .collect(Collectors.joining(", "))));
    lines.add("    ports:       " + (c.portMappings().isEmpty() ? "none" : c.portMappings().stream()
        .map(Object::toString).collect(Collectors.joining(", "))));
    c.hostname().ifPresent(h -> lines.add("    hostname:    " + h));
    if (c.privileged()) {
      lines.add("    privileged:  true");
    }
    // Parameter.toString shows an env parameter's name only
    lines.add("    parameters:  " + (c.parameters().isEmpty() ? "none" : c.parameters().stream()
        .map(Object::toString).collect(Collectors.joining(" "))));
  }

  private static String healthCheck(HealthCheck h) {
    String what = switch (h.getType()) {
      case HTTP -> "port " + h.getHttp().getPort() + (h.getHttp().hasPath() ? " path " + h.getHttp().getPath() : "");
      case TCP -> "port " + h.getTcp().getPort();
      case COMMAND -> "command " + quote(h.getCommand().getValue());
      default -> "";
    };
    return h.getType() + " " + what + timing("delay", h.hasDelaySeconds(), h.getDelaySeconds())
        + timing("interval", h.hasIntervalSeconds(), h.getIntervalSeconds())
        + timing("timeout", h.hasTimeoutSeconds(), h.getTimeoutSeconds())
        + timing("grace period", h.hasGracePeriodSeconds(), h.getGracePeriodSeconds())
        + (h.hasConsecutiveFailures() ? ", consecutive failures " + h.getConsecutiveFailures() : "");
  }

  private static String check(CheckInfo c) {
    String what = switch (c.getType()) {
      case HTTP -> "port " + c.getHttp().getPort() + (c.getHttp().hasPath() ? " path " + c.getHttp().getPath() : "");
      case TCP -> "port " + c.getTcp().getPort();
      case COMMAND -> "command " + quote(c.getCommand().getCommand().getValue());
      default -> "";
    };
    return c.getType() + " " + what + timing("delay", c.hasDelaySeconds(), c.getDelaySeconds())
        + timing("interval", c.hasIntervalSeconds(), c.getIntervalSeconds())
        + timing("timeout", c.hasTimeoutSeconds(), c.getTimeoutSeconds());
  }

  private static String timing(String name, boolean given, double seconds) {
    return given ? ", " + name + " " + seconds + "s" : "";
  }

  private static String labels(Labels labels) {
    return labels.getLabelsCount() == 0 ? "none" : labels.getLabelsList().stream()
        .map(l -> l.getKey() + (l.hasValue() ? "=" + l.getValue() : "")).collect(Collectors.joining(", "));
  }

  private static String duration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static String argv(List<String> argv) {
    return argv.stream().map(PlanPrinter::quote).collect(Collectors.joining(" "));
  }

  /** A word as a shell would read it back: plain when it is safe, else in single quotes. */
  private static String quote(String word) {
    return word.matches("[A-Za-z0-9_./:=,@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  /** Every secret value of the plan, raw, shell-quoted and base64, replaced by {@value #SECRET}. */
  private static String mask(String text, LaunchPlan plan) {
    List<String> forms = new ArrayList<>();
    for (String secret : plan.secretValues()) {
      if (!secret.isEmpty()) {
        forms.add(secret);
        forms.add(quote(secret));
        forms.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
      }
    }
    forms.sort(Comparator.comparingInt(String::length).reversed());
    String shown = text;
    for (String form : forms) {
      shown = shown.replace(form, SECRET);
    }
    return shown;
  }
}
