package dev.voicebus.realtime.event;

/**
 * One content part of a message item or of a {@code response.content_part.*} event. The {@code
 * type} says which fields apply: {@code input_text}/{@code output_text}/{@code text} use {@code
 * text}; {@code input_audio}/{@code output_audio}/{@code audio} use {@code audio} (base64, usually
 * omitted by the server) and {@code transcript}; {@code input_image} uses {@code imageUrl} and
 * {@code detail}. A flat record so that new part types never break parsing.
 */
public record ContentPart(
    String type, String text, String audio, String transcript, String imageUrl, String detail) {

  public static final String INPUT_TEXT = "input_text";
  public static final String INPUT_AUDIO = "input_audio";
  public static final String INPUT_IMAGE = "input_image";
  public static final String OUTPUT_TEXT = "output_text";
  public static final String OUTPUT_AUDIO = "output_audio";

  /** User or system text. */
  public static ContentPart inputText(String text) {
    return new ContentPart(INPUT_TEXT, text, null, null, null, null);
  }

  /** User audio, base64 in the session's input format, with an optional known transcript. */
  public static ContentPart inputAudio(String base64Audio, String transcript) {
    return new ContentPart(INPUT_AUDIO, null, base64Audio, transcript, null, null);
  }

  /** A user image as a URL or {@code data:} URI; detail auto|low|high. */
  public static ContentPart inputImage(String imageUrl, String detail) {
    return new ContentPart(INPUT_IMAGE, null, null, null, imageUrl, detail);
  }

  /** Assistant text (e.g. replaying an earlier agent turn as text). */
  public static ContentPart outputText(String text) {
    return new ContentPart(OUTPUT_TEXT, text, null, null, null, null);
  }

  /** Assistant audio part as the server reports it (transcript, audio usually omitted). */
  public static ContentPart outputAudio(String base64Audio, String transcript) {
    return new ContentPart(OUTPUT_AUDIO, null, base64Audio, transcript, null, null);
  }
}
