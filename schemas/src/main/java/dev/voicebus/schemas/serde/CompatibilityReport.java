package dev.voicebus.schemas.serde;

import java.util.List;

/** The outcome of a {@link SchemaCompatibilityCheck}: no problems means compatible. */
public record CompatibilityReport(String schemaName, List<String> problems) {

  public CompatibilityReport {
    problems = List.copyOf(problems);
  }

  public boolean compatible() {
    return problems.isEmpty();
  }

  /** A message naming the schema and each incompatibility, with the remedy. */
  public String describe() {
    if (compatible()) {
      return schemaName + " is compatible with every published version";
    }
    return schemaName
        + " breaks compatibility with published versions: "
        + String.join("; ", problems)
        + ". Add new fields with a default, keep enum defaults, and never remove or retype a field.";
  }
}
