package dev.voicebus.recorder.call;

import java.nio.file.Path;

/**
 * A finished recording on local disk, waiting to be stored: the WAV, its sidecar, and what it says.
 */
public record Rendered(Path wav, Path json, Sidecar sidecar) {}
