// The client's basics against Hearsay: the model list, and errors raised as the SDK's typed errors with the server's
// status and message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startHearsay, voiceId, whisperId } from './hearsay.js';

const timeout = 120_000;

let hearsay;

before(async () => {
  hearsay = await startHearsay();
});

after(async () => {
  await hearsay?.stop();
});

/** Asserts that a call is refused with the SDK error class for the status, and returns the error. */
async function refused(call, errorClass, status) {
  let caught;
  await assert.rejects(call, (error) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof errorClass, `expected ${errorClass.name}, got ${caught.constructor.name}: ${caught.message}`);
  assert.equal(caught.status, status);
  return caught;
}

describe('models.list', () => {
  test('list_ServedModels_IncludesTheModelsAndOpenAiAliases', { timeout }, async () => {
    const ids = [];
    for await (const model of hearsay.client.models.list()) {
      assert.equal(model.object, 'model');
      ids.push(model.id);
    }

    for (const id of [whisperId, voiceId, 'whisper-1', 'tts-1']) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
  });
});

describe('errors', () => {
  test('anyCall_WrongKey_ThrowsAuthenticationError', { timeout }, async () => {
    const stranger = new OpenAI({ apiKey: 'not-the-token', baseURL: `${hearsay.url}/v1` });

    const error = await refused(stranger.models.list(), OpenAI.AuthenticationError, 401);
    assert.match(error.message, /token/);
  });

  test('speechCreate_UnknownModel_ThrowsNotFoundError', { timeout }, async () => {
    const call = hearsay.client.audio.speech.create({ model: 'no-such-voice', voice: 'alloy', input: 'Hello.' });

    const error = await refused(call, OpenAI.NotFoundError, 404);
    assert.equal(error.param, 'model');
    assert.match(error.message, /no-such-voice/);
  });

  test('speechCreate_InputOf10000Characters_ThrowsBadRequestNaming4096', { timeout }, async () => {
    const call = hearsay.client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'a'.repeat(10_000) });

    const error = await refused(call, OpenAI.BadRequestError, 400);
    assert.equal(error.param, 'input');
    assert.match(error.message, /4096/);
  });
});
