package dev.voicebus.redaction.detect;

import java.util.List;

/**
 * What a scan decided for the text between its start and {@link #hold}: the findings there (merged,
 * in order, none overlapping), the context at {@link #hold}, and for streamed text whether the held
 * part continues a run whose beginning is decided.
 *
 * @param findings the sensitive values before {@code hold}
 * @param hold the offset up to which the text is decided; the rest must be held back
 * @param carry whether the text at {@code hold} continues a run already partly released
 * @param cueHorizon the end of the last cue absorbed into {@code state}
 * @param state the cues in force at {@code hold}
 */
public record ScanResult(
    List<Finding> findings, int hold, boolean carry, int cueHorizon, CueState state) {}
