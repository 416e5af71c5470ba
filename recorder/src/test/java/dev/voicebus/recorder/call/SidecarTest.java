package dev.voicebus.recorder.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarTest {

  @Test
  void roundTripsThroughJsonAndLeavesOutWhatIsUnknown(@TempDir Path dir) throws Exception {
    var sidecar =
        new Sidecar(
            1,
            "call-1",
            "acme",
            "support",
            "TWILIO",
            null,
            "pcmu",
            8000,
            Sidecar.Channels.CALLER_AGENT,
            "2026-11-27T10:00:00Z",
            "2026-11-27T10:01:00Z",
            60_000,
            "TRANSFERRED",
            null,
            "+15551230000",
            "CALL_ENDED",
            5000,
            List.of(new Sidecar.TimeSpan(10_000, 15_000)),
            List.of(
                new Sidecar.Turn("caller", 0, 2000, null, null),
                new Sidecar.Turn("agent", 2100, 4000, "item-1", true)));
    Path json = dir.resolve("call-1.json");
    sidecar.write(json);
    String text = Files.readString(json);
    assertThat(text)
        .contains("\"transferTarget\" : \"+15551230000\"")
        .contains("\"left\" : \"caller\"")
        .doesNotContain("externalCallId")
        .doesNotContain("endDetail");
    assertThat(Sidecar.read(json)).isEqualTo(sidecar);
  }
}
