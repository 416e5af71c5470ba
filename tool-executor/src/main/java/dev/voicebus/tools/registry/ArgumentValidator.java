package dev.voicebus.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Set;

/**
 * Checks a call's arguments against its tool's JSON Schema (draft 2020-12) before the tool runs,
 * and describes the problems in words the model can relay ("$.order_id: integer found, string
 * expected"). References outside the schema are refused at registration and never fetched (see
 * {@link LocalSchemaLoader}). Thread-safe once built.
 */
public final class ArgumentValidator {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder -> builder.schemaLoaders(loaders -> loaders.add(LocalSchemaLoader.INSTANCE)));

  private final JsonSchema schema;

  public ArgumentValidator(String toolName, JsonNode parametersSchema) {
    try {
      this.schema = FACTORY.getSchema(parametersSchema);
      this.schema.initializeValidators();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Tool " + toolName + " has an invalid parameters schema: " + e.getMessage(), e);
    }
  }

  /** The problems with {@code arguments}, empty when they are valid. */
  public List<String> problems(JsonNode arguments) {
    Set<ValidationMessage> messages = schema.validate(arguments);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
