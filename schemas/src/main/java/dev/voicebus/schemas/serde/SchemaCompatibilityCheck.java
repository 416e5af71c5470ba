package dev.voicebus.schemas.serde;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Decides whether a new version of a schema may be published: it must read every earlier version's
 * data (backward) and every earlier version must read its data (forward), so old and new services
 * can run side by side during a rolling upgrade.
 */
public final class SchemaCompatibilityCheck {

  private SchemaCompatibilityCheck() {}

  /** Checks {@code candidate} against each published version, both ways. */
  public static CompatibilityReport check(Schema candidate, List<Schema> published) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < published.size(); i++) {
      Schema old = published.get(i);
      String version = "v" + (i + 1);
      var backward = SchemaCompatibility.checkReaderWriterCompatibility(candidate, old);
      if (backward.getType() != SchemaCompatibilityType.COMPATIBLE) {
        problems.add(
            "the new schema cannot read "
                + version
                + " data: "
                + backward.getResult().getIncompatibilities());
      }
      var forward = SchemaCompatibility.checkReaderWriterCompatibility(old, candidate);
      if (forward.getType() != SchemaCompatibilityType.COMPATIBLE) {
        problems.add(
            version
                + " readers cannot read the new schema's data: "
                + forward.getResult().getIncompatibilities());
      }
    }
    return new CompatibilityReport(candidate.getFullName(), problems);
  }
}
