package dev.voicebus.realtime.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * JSON codec of the Realtime events, in both directions: a client parses {@link ServerEvent}s and
 * writes {@link ClientEvent}s; a server (the sandbox) parses client events and writes server
 * events. Field names are snake_case and null fields are omitted. Server events of unknown type
 * become {@link ServerEvent.Unknown}; server events ignore unknown fields. Client events are parsed
 * strictly and checked: any problem raises {@link InvalidEventException} with the code and param an
 * {@code invalid_request_error} needs. Instances are immutable and thread-safe; share one.
 */
public final class RealtimeJson {

  private static final RealtimeJson SHARED = new RealtimeJson();

  private final ObjectMapper mapper;
  private final ObjectReader serverReader;
  private final ObjectReader clientReader;
  private final ObjectWriter serverWriter;
  private final ObjectWriter clientWriter;

  public RealtimeJson() {
    mapper = newMapper();
    serverReader = mapper.readerFor(ServerEvent.class);
    clientReader =
        mapper.readerFor(ClientEvent.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    serverWriter = mapper.writerFor(ServerEvent.class);
    clientWriter = mapper.writerFor(ClientEvent.class);
  }

  /** A process-wide instance. */
  public static RealtimeJson shared() {
    return SHARED;
  }

  /** A copy of the configured mapper (snake_case, NON_NULL), e.g. to build {@link JsonNode}s. */
  public ObjectMapper objectMapper() {
    return mapper.copy();
  }

  /**
   * Parses one server event. Unknown types yield {@link ServerEvent.Unknown}.
   *
   * @throws InvalidEventException if the text is not a JSON object with a {@code type}, or a known
   *     event has fields of the wrong JSON type
   */
  public ServerEvent parseServerEvent(String json) {
    try {
      return serverReader.readValue(json);
    } catch (InvalidTypeIdException e) {
      return unknownOrThrow(json, e);
    } catch (IOException e) {
      throw JsonErrors.toInvalidEvent(e, mapper, json);
    }
  }

  /**
   * Parses one client event strictly and checks its required fields.
   *
   * @throws InvalidEventException naming the code ({@code invalid_json}, {@code invalid_event},
   *     {@code invalid_value}, {@code unknown_parameter}, {@code invalid_type}, {@code
   *     missing_required_parameter}) and the offending param
   */
  public ClientEvent parseClientEvent(String json) {
    ClientEvent event;
    try {
      event = clientReader.readValue(json);
    } catch (IOException e) {
      throw JsonErrors.toInvalidEvent(e, mapper, json);
    }
    ClientEventRules.check(event);
    return event;
  }

  /**
   * Writes a client event after checking its required fields.
   *
   * @throws InvalidEventException if a required field is missing
   */
  public String write(ClientEvent event) {
    ClientEventRules.check(event);
    try {
      return clientWriter.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + event.type(), e);
    }
  }

  /**
   * Writes a client event as UTF-8 JSON to {@code out} (e.g. a Netty ByteBuf stream), which stays
   * open.
   */
  public void write(ClientEvent event, OutputStream out) {
    ClientEventRules.check(event);
    try {
      clientWriter.writeValue(out, event);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize " + event.type(), e);
    }
  }

  /** Writes a server event; {@link ServerEvent.Unknown} is written as its raw JSON. */
  public String write(ServerEvent event) {
    if (event instanceof ServerEvent.Unknown unknown) {
      return unknown.raw().toString();
    }
    try {
      return serverWriter.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + event.type(), e);
    }
  }

  private ServerEvent unknownOrThrow(String json, InvalidTypeIdException e) {
    JsonNode raw;
    try {
      raw = mapper.readTree(json);
    } catch (IOException parseError) {
      throw JsonErrors.toInvalidEvent(parseError, mapper, json);
    }
    JsonNode type = raw.get("type");
    if (type == null || !type.isTextual() || EventTypes.serverTypes().contains(type.asText())) {
      throw JsonErrors.toInvalidEvent(e, mapper, json);
    }
    return new ServerEvent.Unknown(type.asText(), raw);
  }

  private static ObjectMapper newMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    mapper.setDefaultPropertyInclusion(
        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return mapper;
  }
}
