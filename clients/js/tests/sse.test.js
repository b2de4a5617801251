'use strict';
// The server-sent events parser, fed the byte splits a network may produce.
const assert = require('node:assert/strict');
const { describe, test } = require('node:test');
const { readServerSentEvents } = require('../dist');

async function parse(...chunks) {
  async function* body() {
    for (const chunk of chunks) {
      yield new TextEncoder().encode(chunk);
    }
  }
  const events = [];
  for await (const event of readServerSentEvents(body())) {
    events.push(event);
  }
  return events;
}

describe('readServerSentEvents', () => {
  test('readServerSentEvents_NamedAndUnnamedEvents_ParsedInOrder', async () => {
    const events = await parse('event: status\ndata: {"a":1}\n\ndata: {"b":2}\n\n');

    assert.deepEqual(events, [
      { event: 'status', data: '{"a":1}' },
      { event: 'message', data: '{"b":2}' },
    ]);
  });

  test('readServerSentEvents_CrLfSplitAcrossChunks_OneLineBreak', async () => {
    const events = await parse('event: status\r', '\ndata: x\r\n\r', '\ndata: y\r\n\r\n');

    assert.deepEqual(events, [
      { event: 'status', data: 'x' },
      { event: 'message', data: 'y' },
    ]);
  });

  test('readServerSentEvents_MultiLineDataCommentsAndUtf8Split_Joined', async () => {
    const bytes = new TextEncoder().encode(': keep-alive\ndata: héllo\ndata: wörld\n\n');
    async function* body() {
      // Split inside the two-byte é.
      yield bytes.subarray(0, 21);
      yield bytes.subarray(21);
    }
    const events = [];
    for await (const event of readServerSentEvents(body())) {
      events.push(event);
    }

    assert.deepEqual(events, [{ event: 'message', data: 'héllo\nwörld' }]);
  });

  test('readServerSentEvents_IncompleteLastEvent_NotDispatched', async () => {
    const events = await parse('data: complete\n\ndata: cut off');

    assert.deepEqual(events, [{ event: 'message', data: 'complete' }]);
  });
});
