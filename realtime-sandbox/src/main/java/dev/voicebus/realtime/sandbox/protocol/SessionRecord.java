package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * What a test may want to know about one session: the client events received, the audio appended
 * (byte count, a running CRC32 of the decoded bytes in arrival order, and the bytes themselves up
 * to {@code cap} 20 ms mu-law frames' worth, so duplicated or reordered audio shows), truncations,
 * function outputs and errors sent. Every list is capped so a load test cannot grow it without
 * bound. The tools offered are kept as the latest {@code session.update} set them. Written on the
 * session's event loop, read from any thread.
 */
public final class SessionRecord {
  /**
   * One {@code conversation.item.truncate} that succeeded.
   *
   * @param itemId the truncated assistant item
   * @param audioEndMs where it was truncated
   */
  public record Truncation(String itemId, long audioEndMs) {}

  /**
   * One {@code function_call_output} item the client created.
   *
   * @param callId the call it answers
   * @param output the output string
   */
  public record FunctionOutput(String callId, String output) {}

  private final String sessionId;
  private final int cap;
  private final List<String> received = new ArrayList<>();
  private final List<String> sent = new ArrayList<>();
  private final List<Truncation> truncations = new ArrayList<>();
  private final List<FunctionOutput> functionOutputs = new ArrayList<>();
  private final List<String> errorCodes = new ArrayList<>();
  private final CRC32 audioCrc = new CRC32();
  private final ByteArrayOutputStream audioKept = new ByteArrayOutputStream();
  private long audioBytes;
  private int appends;
  private List<JsonNode> tools = List.of();
  private String scenario = "default";
  private String acceptedConfig;
  private boolean closed;

  public SessionRecord(String sessionId, int cap) {
    this.sessionId = sessionId;
    this.cap = cap;
  }

  public String sessionId() {
    return sessionId;
  }

  synchronized void receivedEvent(String type) {
    addCapped(received, type);
  }

  synchronized void sentEvent(String type) {
    addCapped(sent, type);
  }

  synchronized void audio(byte[] decoded) {
    audioBytes += decoded.length;
    appends++;
    audioCrc.update(decoded, 0, decoded.length);
    int room = cap * 160 - audioKept.size();
    audioKept.write(decoded, 0, Math.max(0, Math.min(room, decoded.length)));
  }

  synchronized void truncation(String itemId, long audioEndMs) {
    addCapped(truncations, new Truncation(itemId, audioEndMs));
  }

  synchronized void functionOutput(String callId, String output) {
    addCapped(functionOutputs, new FunctionOutput(callId, output));
  }

  synchronized void error(String code) {
    addCapped(errorCodes, code == null ? "null" : code);
  }

  /** The session's tools after an accepted {@code session.update}. */
  synchronized void tools(JsonNode array) {
    List<JsonNode> copy = new ArrayList<>();
    array.forEach(t -> copy.add(t.deepCopy()));
    tools = List.copyOf(copy);
  }

  /** The session configuration a SIP call was accepted with (the accept body, as JSON). */
  public synchronized void accepted(String sessionJson) {
    acceptedConfig = sessionJson;
  }

  /**
   * The session configuration a SIP call's {@code /accept} carried, as JSON; null for a session
   * opened over a WebSocket.
   */
  public synchronized String acceptedConfig() {
    return acceptedConfig;
  }

  synchronized void scenario(String name) {
    scenario = name;
  }

  synchronized void closed() {
    closed = true;
  }

  private <T> void addCapped(List<T> list, T value) {
    if (list.size() < cap) {
      list.add(value);
    }
  }

  /** Types of the client events received, in order (up to the cap). */
  public synchronized List<String> receivedEventTypes() {
    return List.copyOf(received);
  }

  /** Types of the server events sent, in order (up to the cap). */
  public synchronized List<String> sentEventTypes() {
    return List.copyOf(sent);
  }

  /** Total decoded bytes received through {@code input_audio_buffer.append}. */
  public synchronized long audioBytesReceived() {
    return audioBytes;
  }

  /** Number of {@code input_audio_buffer.append} events with valid audio. */
  public synchronized int audioAppends() {
    return appends;
  }

  /**
   * The decoded appended audio in arrival order, up to {@code cap * 160} bytes (the first {@code
   * cap} 20 ms frames of mu-law); later audio is counted but not kept.
   */
  public synchronized byte[] audioReceived() {
    return audioKept.toByteArray();
  }

  /** CRC32 of all decoded appended audio bytes, in arrival order. */
  public synchronized long audioChecksum() {
    return audioCrc.getValue();
  }

  public synchronized List<Truncation> truncations() {
    return List.copyOf(truncations);
  }

  public synchronized List<FunctionOutput> functionOutputs() {
    return List.copyOf(functionOutputs);
  }

  /** Codes of the {@code error} events sent ("null" for errors without a code). */
  public synchronized List<String> errorCodes() {
    return List.copyOf(errorCodes);
  }

  /**
   * The tools the session offers the model, as the client's latest accepted {@code session.update}
   * set them ({@code {"type":"function","name","description","parameters"}} each).
   */
  public synchronized List<JsonNode> tools() {
    return tools;
  }

  public synchronized String scenario() {
    return scenario;
  }

  public synchronized boolean isClosed() {
    return closed;
  }
}
