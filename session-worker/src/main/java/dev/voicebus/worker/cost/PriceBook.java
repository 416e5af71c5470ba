package dev.voicebus.worker.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.schemas.config.ConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Price tables by model, so each call is costed with its profile's model and its transcription
 * model. A model name matches its table exactly or by the longest table name it starts with (a
 * dated snapshot such as {@code gpt-realtime-2025-08-28} uses {@code gpt-realtime}); a model no
 * table matches uses the {@code gpt-realtime} table. Built in: list prices of gpt-realtime,
 * gpt-realtime-mini, gpt-4o-transcribe, gpt-4o-mini-transcribe and whisper-1; {@code
 * worker.price.*} overrides the gpt-realtime rates, and {@code worker.prices-file} adds or replaces
 * tables ({@code {"models": {"<model>": {"textInput": 4, "cachedTextInput": 0.4, ...}}}}).
 */
public final class PriceBook {

  public static final PriceBook DEFAULT = new PriceBook(builtIn(PriceTable.GPT_REALTIME));

  private static final String DEFAULT_MODEL = "gpt-realtime";

  private final Map<String, PriceTable> byModel;

  public PriceBook(Map<String, PriceTable> byModel) {
    if (!byModel.containsKey(DEFAULT_MODEL)) {
      throw new IllegalArgumentException("A price book needs a " + DEFAULT_MODEL + " table");
    }
    this.byModel = Map.copyOf(byModel);
  }

  /** The table for {@code model} (exact, else longest prefix, else gpt-realtime's). */
  public PriceTable forModel(String model) {
    if (model == null) {
      return byModel.get(DEFAULT_MODEL);
    }
    PriceTable exact = byModel.get(model);
    if (exact != null) {
      return exact;
    }
    return byModel.entrySet().stream()
        .filter(e -> model.startsWith(e.getKey()))
        .max(Comparator.comparingInt(e -> e.getKey().length()))
        .map(Map.Entry::getValue)
        .orElse(byModel.get(DEFAULT_MODEL));
  }

  /** Two books are equal when they price every model the same (a config read twice is stable). */
  @Override
  public boolean equals(Object other) {
    return other instanceof PriceBook book && byModel.equals(book.byModel);
  }

  @Override
  public int hashCode() {
    return byModel.hashCode();
  }

  @Override
  public String toString() {
    return "PriceBook" + byModel.keySet();
  }

  public static PriceBook from(ConfigSource config) {
    Map<String, PriceTable> tables = new LinkedHashMap<>(builtIn(PriceTable.from(config)));
    config.get("worker.prices-file").map(Path::of).ifPresent(file -> tables.putAll(parse(file)));
    return new PriceBook(tables);
  }

  private static Map<String, PriceTable> builtIn(PriceTable realtime) {
    Map<String, PriceTable> tables = new LinkedHashMap<>();
    tables.put(DEFAULT_MODEL, realtime);
    tables.put("gpt-realtime-mini", PriceTable.GPT_REALTIME_MINI);
    tables.put("gpt-4o-transcribe", PriceTable.GPT_4O_TRANSCRIBE);
    tables.put("gpt-4o-mini-transcribe", PriceTable.GPT_4O_MINI_TRANSCRIBE);
    tables.put("whisper-1", PriceTable.WHISPER_1);
    return tables;
  }

  static Map<String, PriceTable> parse(Path file) {
    JsonNode models;
    try {
      models = new ObjectMapper().readTree(Files.readAllBytes(file)).path("models");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "worker.prices-file=" + file + " cannot be read: " + e.getMessage(), e);
    }
    if (!models.isObject() || models.isEmpty()) {
      throw new IllegalArgumentException(
          "worker.prices-file=" + file + ": expected {\"models\": {\"<model>\": {rates}}}");
    }
    Map<String, PriceTable> tables = new LinkedHashMap<>();
    models
        .properties()
        .forEach(
            e -> {
              JsonNode r = e.getValue();
              try {
                tables.put(
                    e.getKey(),
                    new PriceTable(
                        r.path("textInput").asDouble(0),
                        r.path("cachedTextInput").asDouble(r.path("textInput").asDouble(0)),
                        r.path("audioInput").asDouble(0),
                        r.path("cachedAudioInput").asDouble(r.path("audioInput").asDouble(0)),
                        r.path("textOutput").asDouble(0),
                        r.path("audioOutput").asDouble(0),
                        r.path("transcriptionPerMinute").asDouble(0)));
              } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(
                    "worker.prices-file="
                        + file
                        + ": models."
                        + e.getKey()
                        + ": "
                        + bad.getMessage(),
                    bad);
              }
            });
    return tables;
  }
}
