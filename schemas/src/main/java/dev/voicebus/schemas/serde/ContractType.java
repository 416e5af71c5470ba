package dev.voicebus.schemas.serde;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.TenantUsage;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.WebhookDeadLetter;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The top-level record types that travel as topic values. Each one has a version history under
 * {@code dev/voicebus/schemas/history/<Name>/} so readers can decode what older writers wrote, and
 * so the build can reject an incompatible change.
 */
public record ContractType<T extends SpecificRecord>(Class<T> type) {

  public static final List<ContractType<?>> ALL =
      List.of(
          new ContractType<>(CallControl.class),
          new ContractType<>(AudioFrame.class),
          new ContractType<>(AudioOut.class),
          new ContractType<>(TranscriptEvent.class),
          new ContractType<>(ToolCall.class),
          new ContractType<>(ToolResult.class),
          new ContractType<>(SessionEvent.class),
          new ContractType<>(ToolCatalogueEntry.class),
          new ContractType<>(CallRecord.class),
          new ContractType<>(TenantUsage.class),
          new ContractType<>(WebhookDeadLetter.class));

  public String name() {
    return type.getSimpleName();
  }

  public Schema currentSchema() {
    return SpecificData.get().getSchema(type);
  }
}
