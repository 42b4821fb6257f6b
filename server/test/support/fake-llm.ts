import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatCall {
  url: string;
  authorization?: string;
  body: {
    model?: string;
    messages: { role: string; content: string }[];
    temperature: number;
    max_tokens: number;
    top_p: number;
  };
}

type Answer = { status: number; body: unknown } | 'hang';
type Answering = (call: ChatCall, n: number) => Answer | Promise<Answer>;

/**
 * A local OpenAI-compatible chat completions server (127.0.0.1 only) that records every request
 * and answers "reply <n>", unless `answer` is set to something else.
 */
export async function startFakeLlm() {
  const calls: ChatCall[] = [];
  const state: { answer: Answering } = {
    answer: (call, n) => ({
      status: 200,
      body: { choices: [{ message: { role: 'assistant', content: `reply ${n}` } }], usage: { prompt_tokens: call.body.messages.length, completion_tokens: 2 } },
    }),
  };
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', async () => {
      const call: ChatCall = { url: request.url ?? '', authorization: request.headers.authorization, body: JSON.parse(raw) };
      calls.push(call);
      const answer = await state.answer(call, calls.length);
      if (answer === 'hang') return;
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
