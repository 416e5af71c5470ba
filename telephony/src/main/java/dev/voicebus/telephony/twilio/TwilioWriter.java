package dev.voicebus.telephony.twilio;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.MediaFormat;
import dev.voicebus.telephony.twilio.TwilioMessage.Outbound;
import java.io.IOException;
import java.util.Map;

/**
 * Writes the fields after {@code event} of each message in Twilio's layout: numbers as strings
 * (except {@code mediaFormat}'s), {@code streamSid} at the top, the event's own fields in an object
 * named after it.
 */
final class TwilioWriter {

  private TwilioWriter() {}

  static void writeBody(TwilioMessage message, JsonGenerator g) throws IOException {
    if (message instanceof Outbound.Media media) {
      g.writeStringField("streamSid", media.streamSid());
      g.writeObjectFieldStart("media");
      g.writeFieldName("payload");
      g.writeBinary(media.payload());
      g.writeEndObject();
    } else if (message instanceof Outbound.Mark mark) {
      g.writeStringField("streamSid", mark.streamSid());
      writeMark(g, mark.name());
    } else if (message instanceof Outbound.Clear clear) {
      g.writeStringField("streamSid", clear.streamSid());
    } else if (message instanceof Inbound inbound) {
      writeInbound(inbound, g);
    } else {
      throw new IllegalArgumentException("cannot write " + message.getClass().getName());
    }
  }

  private static void writeInbound(Inbound message, JsonGenerator g) throws IOException {
    if (message instanceof Inbound.Media media) {
      header(g, media.sequenceNumber(), media.streamSid());
      g.writeObjectFieldStart("media");
      g.writeStringField("track", media.track());
      g.writeStringField("chunk", Long.toString(media.chunk()));
      g.writeStringField("timestamp", Long.toString(media.timestamp()));
      g.writeFieldName("payload");
      g.writeBinary(media.payload());
      g.writeEndObject();
    } else if (message instanceof Inbound.Connected connected) {
      g.writeStringField("protocol", connected.protocol());
      g.writeStringField("version", connected.version());
    } else if (message instanceof Inbound.Start start) {
      header(g, start.sequenceNumber(), start.streamSid());
      writeStart(g, start);
    } else if (message instanceof Inbound.Mark mark) {
      header(g, mark.sequenceNumber(), mark.streamSid());
      writeMark(g, mark.name());
    } else if (message instanceof Inbound.Dtmf dtmf) {
      header(g, dtmf.sequenceNumber(), dtmf.streamSid());
      g.writeObjectFieldStart("dtmf");
      g.writeStringField("track", dtmf.track());
      g.writeStringField("digit", dtmf.digit());
      g.writeEndObject();
    } else if (message instanceof Inbound.Stop stop) {
      header(g, stop.sequenceNumber(), stop.streamSid());
      g.writeObjectFieldStart("stop");
      g.writeStringField("accountSid", stop.accountSid());
      g.writeStringField("callSid", stop.callSid());
      g.writeEndObject();
    } else {
      throw new IllegalArgumentException("cannot write " + message.getClass().getName());
    }
  }

  private static void header(JsonGenerator g, long sequenceNumber, String streamSid)
      throws IOException {
    g.writeStringField("sequenceNumber", Long.toString(sequenceNumber));
    g.writeStringField("streamSid", streamSid);
  }

  private static void writeStart(JsonGenerator g, Inbound.Start start) throws IOException {
    g.writeObjectFieldStart("start");
    g.writeStringField("accountSid", start.accountSid());
    g.writeStringField("streamSid", start.streamSid());
    g.writeStringField("callSid", start.callSid());
    g.writeArrayFieldStart("tracks");
    for (String track : start.tracks()) {
      g.writeString(track);
    }
    g.writeEndArray();
    g.writeObjectFieldStart("customParameters");
    for (Map.Entry<String, String> parameter : start.customParameters().entrySet()) {
      g.writeStringField(parameter.getKey(), parameter.getValue());
    }
    g.writeEndObject();
    MediaFormat format = start.mediaFormat();
    g.writeObjectFieldStart("mediaFormat");
    g.writeStringField("encoding", format.encoding());
    g.writeNumberField("sampleRate", format.sampleRate());
    g.writeNumberField("channels", format.channels());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeMark(JsonGenerator g, String name) throws IOException {
    g.writeObjectFieldStart("mark");
    g.writeStringField("name", name);
    g.writeEndObject();
  }
}
