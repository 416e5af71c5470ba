package dev.voicebus.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/**
 * The build's schema-evolution gate: every contract schema must be published in the bundled history
 * and be compatible both ways with every earlier version.
 */
class SchemaCompatibilityTest {

  @Test
  void everyContractSchemaIsPublishedAsItsNewestVersion() {
    for (ContractType<?> type : ContractType.ALL) {
      List<Schema> versions = SchemaHistory.versions(type);
      assertThat(versions)
          .as(
              "%s has no published version; after checking compatibility run"
                  + " `./mvnw -q install -DskipTests && ./mvnw -pl schemas exec:java`",
              type.name())
          .isNotEmpty();
      assertThat(versions.get(versions.size() - 1))
          .as(
              "%s.avsc changed since its newest published version; publish it with"
                  + " `./mvnw -q install -DskipTests && ./mvnw -pl schemas exec:java`",
              type.name())
          .isEqualTo(type.currentSchema());
    }
  }

  @Test
  void everyContractSchemaIsCompatibleWithAllPublishedVersions() {
    for (ContractType<?> type : ContractType.ALL) {
      var report =
          SchemaCompatibilityCheck.check(type.currentSchema(), SchemaHistory.versions(type));
      assertThat(report.compatible()).as(report.describe()).isTrue();
    }
  }

  @Test
  void acceptsANewOptionalField() {
    Schema v1 = frame(SchemaBuilder.record("Frame").fields().requiredLong("seq"));
    Schema v2 =
        frame(SchemaBuilder.record("Frame").fields().requiredLong("seq").optionalString("note"));

    assertThat(SchemaCompatibilityCheck.check(v2, List.of(v1)).compatible()).isTrue();
  }

  @Test
  void rejectsANewRequiredFieldWithoutDefault() {
    Schema v1 = frame(SchemaBuilder.record("Frame").fields().requiredLong("seq"));
    Schema v2 =
        frame(SchemaBuilder.record("Frame").fields().requiredLong("seq").requiredString("codec"));

    var report = SchemaCompatibilityCheck.check(v2, List.of(v1));

    assertThat(report.compatible()).isFalse();
    assertThat(report.describe()).contains("cannot read v1 data").contains("codec");
  }

  @Test
  void rejectsRemovingAFieldOldReadersNeed() {
    Schema v1 =
        frame(SchemaBuilder.record("Frame").fields().requiredLong("seq").requiredInt("durationMs"));
    Schema v2 = frame(SchemaBuilder.record("Frame").fields().requiredLong("seq"));

    var report = SchemaCompatibilityCheck.check(v2, List.of(v1));

    assertThat(report.compatible()).isFalse();
    assertThat(report.describe()).contains("v1 readers cannot read").contains("durationMs");
  }

  @Test
  void rejectsChangingAFieldType() {
    Schema v1 = frame(SchemaBuilder.record("Frame").fields().requiredLong("seq"));
    Schema v2 = frame(SchemaBuilder.record("Frame").fields().requiredString("seq"));

    assertThat(SchemaCompatibilityCheck.check(v2, List.of(v1)).compatible()).isFalse();
  }

  private static Schema frame(SchemaBuilder.FieldAssembler<Schema> fields) {
    return fields.endRecord();
  }
}
