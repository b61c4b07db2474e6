/**
 * Worker thread body for MarkdownParser: parses markdown into pad JSON off the main thread, so
 * a slow or hostile document cannot stall the event loop that serves live pads.
 */
import { parentPort } from 'node:worker_threads';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';

export interface ParseRequest {
  id: number;
  markdown: string;
}

export type ParseResponse = { id: number; ok: true; json: unknown } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new TypeError('parse-worker must run in a worker thread');
const md = padMarkdown();
port.on('message', (req: ParseRequest) => {
  let res: ParseResponse;
  try {
    res = { id: req.id, ok: true, json: md.parseToJSON(req.markdown) };
  } catch (err) {
    res = { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(res);
});
