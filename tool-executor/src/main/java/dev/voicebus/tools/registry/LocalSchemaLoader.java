package dev.voicebus.tools.registry;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

/**
 * The first schema loader of the executor's JSON Schema factory: it lets through only the
 * meta-schemas bundled with the validator (which it maps to {@code classpath:}) and refuses every
 * other absolute reference ({@code http:}, {@code https:}, {@code file:}, {@code jar:} ...) before
 * the validator's own loaders could fetch it. A tool's schema, given by a webhook's configuration
 * or an MCP server, therefore never makes the executor open a connection or read a file; references
 * inside the schema ({@code #/$defs/...}) are resolved without a loader and keep working.
 */
final class LocalSchemaLoader implements SchemaLoader {

  static final LocalSchemaLoader INSTANCE = new LocalSchemaLoader();

  private LocalSchemaLoader() {}

  @Override
  public InputStreamSource getSchema(AbsoluteIri iri) {
    if ("classpath".equals(iri.getScheme())) {
      return null; // a bundled meta-schema: the classpath loader that follows reads it
    }
    throw new JsonSchemaException(
        "it refers to '"
            + iri
            + "', outside the schema; tool schemas may only use references inside themselves"
            + " (such as #/$defs/name), and nothing is fetched");
  }
}
