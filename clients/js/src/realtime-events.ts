// The JSON events of Hearsay's Realtime transcription WebSocket (GA dialect), field for field as the server sends them:
// OpenAI's shapes (docs/adr/0013-realtime-transcription.md names where each was read) plus Hearsay's interim event.
// src/Hearsay.Contracts/Realtime is the source of truth. The WebSocket is not in the OpenAPI document, so these are
// checked by tests/dictate.test.js against what the binary sends.

/** An item of the conversation: one user utterance and, once done, its transcript. */
export interface RealtimeItem {
  id: string;
  object: 'realtime.item';
  type: 'message';
  role: 'user';
  status: string;
  content: { type: 'input_audio'; transcript: string | null }[];
}

/** OpenAI's error event: most errors leave the session open. */
export interface RealtimeErrorEvent {
  type: 'error';
  event_id: string;
  error: { type: string; code: string | null; message: string; param: string | null; event_id: string | null };
}

/** Every event a GA transcription session sends. */
export type RealtimeServerEvent =
  | { type: 'session.created' | 'session.updated'; event_id: string; session: Record<string, unknown> }
  | { type: 'input_audio_buffer.speech_started'; event_id: string; audio_start_ms: number; item_id: string }
  | { type: 'input_audio_buffer.speech_stopped'; event_id: string; audio_end_ms: number; item_id: string }
  | { type: 'input_audio_buffer.committed'; event_id: string; item_id: string; previous_item_id: string | null }
  | { type: 'input_audio_buffer.cleared'; event_id: string }
  | { type: 'conversation.item.added' | 'conversation.item.done'; event_id: string; previous_item_id: string | null; item: RealtimeItem }
  | { type: 'conversation.item.input_audio_transcription.delta'; event_id: string; item_id: string; content_index: number; delta: string }
  | {
      type: 'conversation.item.input_audio_transcription.completed';
      event_id: string;
      item_id: string;
      content_index: number;
      transcript: string;
      usage: { type: 'duration'; seconds: number } | Record<string, unknown>;
    }
  | {
      type: 'conversation.item.input_audio_transcription.failed';
      event_id: string;
      item_id: string;
      content_index: number;
      error: { type: string; code: string | null; message: string; param: string | null };
    }
  /** Hearsay's extension: the text after everything sent as deltas, which may still change (show it in grey). */
  | { type: 'hearsay.input_audio_transcription.interim'; event_id: string; item_id: string; content_index: number; text: string }
  | RealtimeErrorEvent;

/** The `session.update` a dictation sends. */
export interface RealtimeSessionUpdate {
  type: 'session.update';
  session: {
    type: 'transcription';
    audio: {
      input: {
        format: { type: 'audio/pcm'; rate: 24000 | 16000 };
        transcription: { language?: string; prompt?: string };
        turn_detection: { type: 'server_vad'; threshold?: number; prefix_padding_ms?: number; silence_duration_ms?: number } | null;
      };
    };
  };
}
