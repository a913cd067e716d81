package io.github.sparkmesos.docker;

/**
 * A container setting this library refuses. The message reads {@code <setting>: <rule>}; the setting
 * names the entry (its list and index, and the option), the rule says what is wrong. Neither ever
 * carries the value of an {@code env} entry.
 */
public class DockerSettingException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String setting;
  private final String rule;

  public DockerSettingException(String setting, String rule) {
    super(setting + ": " + rule);
    this.setting = setting;
    this.rule = rule;
  }

  /** The entry that is refused, e.g. {@code parameters[2] (cap-add)}. */
  public String setting() {
    return setting;
  }

  /** What is wrong with it. */
  public String rule() {
    return rule;
  }
}
