package dev.voicebus.realtime.sandbox.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;

/**
 * The sandbox side of the load benchmark, run in its own JVM so its heap is measured alone. Prints
 * its port, then answers each {@code stats} line on stdin with one JSON line: live sessions, heap
 * used after GC, Netty direct memory and process CPU time. Exits on {@code quit} or end of input.
 */
public final class SandboxServerProcess {
  private SandboxServerProcess() {}

  public static void main(String[] args) throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withRecordCap(16);
    long baseline = heapAfterGc();
    try (RealtimeSandbox sandbox = RealtimeSandbox.start(config)) {
      System.out.println("PORT " + sandbox.port() + " BASELINE " + baseline);
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if ("quit".equals(line.trim())) {
          break;
        }
        System.out.println(stats(sandbox, baseline));
        System.out.flush();
      }
    }
  }

  private static String stats(RealtimeSandbox sandbox, long baseline) {
    int live = sandbox.liveSessions();
    long heap = heapAfterGc();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long direct =
        ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
            ? p.metric().usedDirectMemory()
            : -1;
    return String.format(
        "{\"live\":%d,\"heapAfterGc\":%d,\"baselineHeap\":%d,\"nettyDirect\":%d,"
            + "\"cpuNanos\":%d,\"uptimeMs\":%d}",
        live,
        heap,
        baseline,
        direct,
        os.getProcessCpuTime(),
        ManagementFactory.getRuntimeMXBean().getUptime());
  }

  static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
