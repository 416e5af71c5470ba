package dev.voicebus.launcher.bench;

import dev.voicebus.launcher.load.LatencyStats;
import dev.voicebus.launcher.load.LoadProbe;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Reads the direct bridge's meters and its sandbox's session records. */
public final class BridgeProbe implements LoadProbe {

  private final DirectBridge bridge;
  private final RealtimeSandbox sandbox;
  private final Histogram inbound = new Histogram(3);
  private final Histogram outbound = new Histogram(3);
  private final Histogram tool = new Histogram(3);

  public BridgeProbe(DirectBridge bridge, RealtimeSandbox sandbox) {
    this.bridge = bridge;
    this.sandbox = sandbox;
  }

  @Override
  public String target() {
    return "direct bridge (WebSocket to WebSocket, no Kafka, sandbox)";
  }

  @Override
  public void reset() {
    BridgeMeters m = bridge.meters();
    m.inbound.getIntervalHistogram();
    m.outbound.getIntervalHistogram();
  }

  @Override
  public long agentChunks() {
    return bridge.meters().agentChunks();
  }

  @Override
  public LatencyStats inbound() {
    return drain(bridge.meters().inbound, inbound);
  }

  @Override
  public LatencyStats outbound() {
    return drain(bridge.meters().outbound, outbound);
  }

  @Override
  public LatencyStats toolOverhead() {
    return drain(bridge.meters().toolOverhead, tool);
  }

  private static synchronized LatencyStats drain(Recorder from, Histogram into) {
    into.add(from.getIntervalHistogram());
    return LatencyStats.ofNanos(into);
  }

  @Override
  public Optional<List<SessionRecord>> realtimeSessions() {
    return Optional.of(sandbox.sessions());
  }
}
