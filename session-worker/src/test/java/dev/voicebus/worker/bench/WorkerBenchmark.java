package dev.voicebus.worker.bench;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.audio.SpeechSynth;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.worker.SessionWorkerService;
import dev.voicebus.worker.TestClasspath;
import dev.voicebus.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load on one session worker: N concurrent calls, each streaming 20 ms mu-law frames in real time
 * through Kafka (1.5 s of speech, then 6 s of silence for the agent's answer, repeated), against
 * the Realtime sandbox running in a child JVM. Reports the worker's added latency from a frame's
 * audio.in timestamp to its send on the Realtime socket, and heap per live call (after GC, broker
 * in the same JVM). Not a test: run with {@code ./mvnw -q -pl session-worker test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.voicebus.worker.bench.WorkerBenchmark
 * -Dexec.args="200 60"}.
 */
public final class WorkerBenchmark {

  private static final AudioFormat PCMU = AudioFormat.PCMU;

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Process sandbox = startSandboxJvm();
    try (var broker = EmbeddedKafkaBroker.start()) {
      run(broker, sandboxUri(sandbox), calls, seconds);
    } finally {
      sandbox.destroy();
      sandbox.waitFor(10, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  private static void run(EmbeddedKafkaBroker broker, String sandboxUri, int calls, int seconds)
      throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", broker.bootstrapServers());
    values.put("topics.partitions.call-input", "6");
    values.put("topics.partitions.reply", "1");
    values.put("topics.partitions.output", "6");
    values.put("worker.realtime-url", sandboxUri);
    values.put("worker.openai-api-key", "sk-bench");
    values.put("worker.standby-replicas", "0");
    values.put("worker.stream-threads", "2");
    values.put("worker.state-dir", Files.createTempDirectory("bench-state").toString());
    var source = ConfigSource.of(values);
    var kafka = KafkaSettings.from(source);
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    var registry = new SimpleMeterRegistry();
    var producerConfig = kafka.clientConfig();
    producerConfig.put("linger.ms", 2);
    try (var worker = new SessionWorkerService(WorkerConfig.from(source), kafka, registry);
        var producer =
            new KafkaProducer<>(
                producerConfig, new StringSerializer(), new ByteArraySerializer())) {
      worker.start();
      Thread.sleep(5000);
      long baseline = usedHeapAfterGc();
      String control = kafka.catalogue().name(Topics.CALL_CONTROL);
      String audioIn = kafka.catalogue().name(Topics.AUDIO_IN);
      List<String> callIds = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String callId = "bench-" + i;
        callIds.add(callId);
        producer.send(
            new ProducerRecord<>(
                control,
                callId,
                encode(Topics.CALL_CONTROL, control, new CallControl(started(callId, kafka)))));
      }
      var frames = new AtomicLong();
      var ticks = new AtomicLong();
      var ticker = Executors.newSingleThreadScheduledExecutor();
      ticker.scheduleAtFixedRate(
          () -> {
            long tick = ticks.getAndIncrement();
            byte[] payload = frame(tick);
            for (String callId : callIds) {
              var frame =
                  new AudioFrame(
                      callId, tick, Instant.now(), 20, AudioCodec.PCMU, ByteBuffer.wrap(payload));
              producer.send(
                  new ProducerRecord<>(audioIn, callId, encode(Topics.AUDIO_IN, audioIn, frame)));
            }
            frames.addAndGet(callIds.size());
          },
          0,
          20,
          TimeUnit.MILLISECONDS);
      Thread.sleep(seconds * 1000L / 2);
      Timer latency = registry.find("voicebus.worker.audio.in.latency").timer();
      long heapUnderLoad = usedHeapAfterGc();
      long cpuStart = processCpuNanos();
      long wallStart = System.nanoTime();
      Thread.sleep(seconds * 1000L / 2);
      double cpu = (processCpuNanos() - cpuStart) / (double) (System.nanoTime() - wallStart);
      ticker.shutdownNow();
      report(calls, seconds, latency, baseline, heapUnderLoad, frames.get(), cpu, registry);
      for (String callId : callIds) {
        producer.send(
            new ProducerRecord<>(
                control,
                callId,
                encode(
                    Topics.CALL_CONTROL,
                    control,
                    new CallControl(
                        new CallEnded(
                            callId,
                            CallEndReason.CALLER_HANGUP,
                            null,
                            -1L,
                            Instant.now(),
                            null)))));
      }
      producer.flush();
    }
  }

  private static void report(
      int calls,
      int seconds,
      Timer latency,
      long baseline,
      long heap,
      long frames,
      double cpu,
      SimpleMeterRegistry registry) {
    var snapshot = latency.takeSnapshot();
    System.out.printf(
        Locale.ROOT,
        "calls=%d duration=%ds frames produced=%d forwarded=%.0f duplicate=%.0f unknown=%.0f%n",
        calls,
        seconds,
        frames,
        registry.find("voicebus.worker.frames").tag("outcome", "forwarded").counter().count(),
        registry.find("voicebus.worker.frames").tag("outcome", "duplicate").counter().count(),
        registry.find("voicebus.worker.frames").tag("outcome", "unknown_call").counter().count());
    for (ValueAtPercentile p : snapshot.percentileValues()) {
      System.out.printf(
          Locale.ROOT,
          "audio.in -> Realtime send p%s = %.1f ms%n",
          trim(p.percentile() * 100),
          p.value(TimeUnit.MILLISECONDS));
    }
    System.out.printf(
        Locale.ROOT,
        "max = %.1f ms, mean = %.1f ms%n",
        snapshot.max(TimeUnit.MILLISECONDS),
        snapshot.mean(TimeUnit.MILLISECONDS));
    System.out.printf(
        Locale.ROOT,
        "heap after GC: %d MiB idle, %d MiB with %d calls -> %.1f KiB per call (broker in the same JVM)%n",
        baseline >> 20,
        heap >> 20,
        calls,
        (heap - baseline) / 1024.0 / calls);
    System.out.printf(
        Locale.ROOT,
        "process CPU (worker + broker + load producer): %.2f cores of %d%n",
        cpu,
        Runtime.getRuntime().availableProcessors());
  }

  private static String trim(double percentile) {
    return percentile == Math.rint(percentile)
        ? String.valueOf((long) percentile)
        : String.valueOf(percentile);
  }

  /** 1.5 s of speech, then 6 s of silence for the agent's answer, repeated. */
  private static byte[] frame(long tick) {
    long inCycle = tick % 375;
    return inCycle < 75
        ? SpeechSynth.speech(PCMU, inCycle * 160, 160)
        : SpeechSynth.silenceMs(PCMU, 20);
  }

  private static CallStarted started(String callId, KafkaSettings kafka) {
    return CallStarted.newBuilder()
        .setCallId(callId)
        .setTenantId("bench")
        .setAgentProfile("support")
        .setSource(CallSource.TWILIO)
        .setCodec(AudioCodec.PCMU)
        .setSampleRate(8000)
        .setReplyRoute(new ReplyRoute(kafka.catalogue().name(Topics.AUDIO_OUT), 0))
        .setStartedAt(Instant.now())
        .build();
  }

  private static <V> byte[] encode(
      dev.voicebus.schemas.topic.TopicSpec<String, V> spec, String topic, V value) {
    return spec.valueSerde().serializer().serialize(topic, value);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long processCpuNanos() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return os.getProcessCpuTime();
  }

  private static Process startSandboxJvm() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-Xmx1g",
            "-cp",
            TestClasspath.current(),
            "dev.voicebus.realtime.sandbox.RealtimeSandbox",
            "0")
        .redirectErrorStream(true)
        .start();
  }

  private static String sandboxUri(Process sandbox) throws Exception {
    var reader = new BufferedReader(new InputStreamReader(sandbox.getInputStream()));
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("Realtime sandbox: ")) {
        String uri = line.substring("Realtime sandbox: ".length());
        Thread drain = new Thread(() -> reader.lines().forEach(l -> {}), "sandbox-out");
        drain.setDaemon(true);
        drain.start();
        return uri.substring(0, uri.indexOf("/realtime"));
      }
    }
    throw new IllegalStateException("The sandbox JVM exited before it listened");
  }
}
