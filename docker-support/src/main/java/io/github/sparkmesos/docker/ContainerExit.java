package io.github.sparkmesos.docker;

/**
 * How a container ended, as the engine reports it.
 *
 * @param code      the exit code of its main process; 128 + N when signal N killed it
 * @param oomKilled whether the kernel's OOM killer killed a process of it ({@code State.OOMKilled})
 */
public record ContainerExit(int code, boolean oomKilled) {

  /** The signal that ended it ({@code code - 128} for codes above 128, as the engine reports them), or 0. */
  public int signal() {
    return code > 128 && code < 256 ? code - 128 : 0;
  }

  public boolean succeeded() {
    return code == 0;
  }

  /** {@code Container exited with status N}, as Mesos's Docker executor reports it. */
  public String message() {
    return "Container exited with status " + code;
  }
}
