package dev.voicebus.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;

/**
 * The published versions of each contract type, bundled as resources {@code
 * dev/voicebus/schemas/history/<Name>/v1.avsc, v2.avsc, ...}. Readers register every version so
 * records written by older writers stay readable; the build checks each new version against all
 * earlier ones. {@link #main} appends the current schema as the next version after a schema change.
 */
public final class SchemaHistory {

  static final String RESOURCE_ROOT = "dev/voicebus/schemas/history/";

  private SchemaHistory() {}

  /** All published versions of {@code type}, oldest first. */
  public static List<Schema> versions(ContractType<?> type) {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String resource = RESOURCE_ROOT + type.name() + "/v" + v + ".avsc";
      try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          return versions;
        }
        versions.add(
            new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read schema history resource " + resource, e);
      }
    }
  }

  /**
   * Writes the current schema of every contract type whose newest published version differs from it
   * as the next version into {@code <resourcesDir>/dev/voicebus/schemas/history/}. Run from the
   * repository root: {@code ./mvnw -pl schemas compile exec:java}.
   */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "src/main/resources").resolve(RESOURCE_ROOT);
    for (ContractType<?> type : ContractType.ALL) {
      List<Schema> versions = versions(type);
      Schema current = type.currentSchema();
      if (!versions.isEmpty() && versions.get(versions.size() - 1).equals(current)) {
        continue;
      }
      CompatibilityReport report = SchemaCompatibilityCheck.check(current, versions);
      if (!report.compatible()) {
        throw new IllegalStateException(report.describe());
      }
      Path file = root.resolve(type.name()).resolve("v" + (versions.size() + 1) + ".avsc");
      Files.createDirectories(file.getParent());
      Files.writeString(file, SchemaFormatter.format("json/pretty", current) + "\n");
      System.out.println("Published " + type.name() + " as " + file);
    }
  }
}
