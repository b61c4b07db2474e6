/**
 * The pad's chat panel: messages from the Y.Doc's `chat` array (common/chat.ts), live for
 * everyone on the pad and stored with it. Shows the last PAGE messages with "Load earlier" for
 * more, an unread badge on the toggle while hidden, highlights messages that mention my name,
 * and remembers whether it is open (localStorage `gatherpad:chat-open`).
 */
import './chat.css';
import type * as Y from 'yjs';
import { CHAT_FIELD, MAX_CHAT_LENGTH, readChatMessage, type ChatMessage } from '../../../common/chat.js';
import { el } from '../dom.js';
import { appendChatText, mentions } from './chat-text.js';

/** Messages shown at first, and added by each "Load earlier". */
export const CHAT_PAGE = 50;
const OPEN_KEY = 'gatherpad:chat-open';

export interface ChatPanelOptions {
  doc: Y.Doc;
  /** Where the toggle button goes (the pad header). */
  toggleHost: HTMLElement;
  /** Where the panel goes. */
  panelHost: HTMLElement;
  me(): { name: string; color: string };
  /** False for viewers: the form is replaced by a note (the server drops their writes anyway). */
  canWrite(): boolean;
}

export interface ChatPanel {
  toggle(open?: boolean): void;
  /** Re-reads `canWrite()` and `me()`. */
  refresh(): void;
  focusInput(): void;
}

function rememberedOpen(): boolean {
  try {
    const stored = localStorage.getItem(OPEN_KEY);
    if (stored !== null) return stored === '1';
  } catch {
    // Storage disabled.
  }
  return window.matchMedia('(min-width: 900px)').matches;
}

function randomId(): string {
  return crypto.getRandomValues(new Uint32Array(2)).reduce((s, n) => s + n.toString(36), '');
}

export function mountChatPanel(options: ChatPanelOptions): ChatPanel {
  const messages = options.doc.getArray<unknown>(CHAT_FIELD);
  let shown = CHAT_PAGE;
  let open = rememberedOpen();
  let seen = messages.length;

  const toggleButton = el('button', { className: 'button chat-toggle', text: 'Chat' });
  toggleButton.type = 'button';
  toggleButton.dataset.testid = 'chat-toggle';
  toggleButton.setAttribute('aria-controls', 'chat-panel');
  const badge = el('span', { className: 'chat-badge' });
  badge.dataset.testid = 'chat-unread';
  badge.hidden = true;
  toggleButton.append(badge);
  options.toggleHost.append(toggleButton);

  const panel = el('aside', { className: 'chat' });
  panel.id = 'chat-panel';
  panel.setAttribute('aria-labelledby', 'chat-heading');
  panel.dataset.testid = 'chat-panel';
  const header = el('div', { className: 'chat__header' });
  const heading = el('h2', { className: 'chat__heading', text: 'Chat' });
  heading.id = 'chat-heading';
  const close = el('button', { className: 'button chat__close', text: 'Hide' });
  close.type = 'button';
  close.setAttribute('aria-label', 'Hide chat');
  header.append(heading, close);

  const log = el('div', { className: 'chat__log' });
  log.setAttribute('role', 'log');
  log.setAttribute('aria-label', 'Chat messages');
  log.tabIndex = 0;
  const earlier = el('button', { className: 'button chat__earlier', text: 'Load earlier messages' });
  earlier.type = 'button';
  const empty = el('p', { className: 'chat__empty muted', text: 'No messages yet. Messages here are kept with the pad.' });
  const list = el('ol', { className: 'chat__list' });
  log.append(earlier, empty, list);

  const form = el('form', { className: 'chat__form' });
  const label = el('label', { className: 'visually-hidden', text: 'Message' });
  label.htmlFor = 'chat-input';
  const input = el('textarea', { className: 'chat__input' });
  input.id = 'chat-input';
  input.rows = 2;
  input.maxLength = MAX_CHAT_LENGTH;
  input.placeholder = 'Write a message (Enter sends)';
  const send = el('button', { className: 'button button--primary chat__send', text: 'Send' });
  send.type = 'submit';
  form.append(label, input, send);
  const readOnlyNote = el('p', {
    className: 'chat__readonly muted',
    text: 'You are viewing this pad: you can read the chat but not write in it.',
  });
  panel.append(header, log, form, readOnlyNote);
  options.panelHost.append(panel);

  const valid = (): ChatMessage[] => {
    const out: ChatMessage[] = [];
    for (const item of messages.toArray()) {
      const message = readChatMessage(item);
      if (message) out.push(message);
    }
    return out;
  };

  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

  const renderMessage = (message: ChatMessage, myName: string): HTMLLIElement => {
    const mine = message.clientID === options.doc.clientID;
    const item = el('li', { className: 'chat__message' });
    if (mine) item.classList.add('chat__message--mine');
    if (!mine && mentions(message.text, myName)) item.classList.add('chat__message--mention');
    const meta = el('div', { className: 'chat__meta' });
    const dot = el('span', { className: 'chat__dot' });
    dot.style.backgroundColor = message.color;
    const author = el('strong', { className: 'chat__author', text: message.author || 'Someone' });
    const time = el('time', { className: 'chat__time muted', text: timeFormat.format(message.time) });
    time.dateTime = new Date(message.time).toISOString();
    time.title = new Date(message.time).toLocaleString();
    meta.append(dot, author, time);
    const text = el('p', { className: 'chat__text' });
    appendChatText(text, message.text);
    item.append(meta, text);
    return item;
  };

  const render = (): void => {
    const all = valid();
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    const start = Math.max(0, all.length - shown);
    const myName = options.me().name;
    list.replaceChildren(...all.slice(start).map((m) => renderMessage(m, myName)));
    earlier.hidden = start === 0;
    empty.hidden = all.length > 0;
    if (open) seen = messages.length;
    const unread = open
      ? 0
      : messages
          .toArray()
          .slice(seen)
          .filter((m) => readChatMessage(m)?.clientID !== options.doc.clientID).length;
    badge.hidden = unread === 0;
    badge.textContent = String(unread);
    toggleButton.setAttribute('aria-label', unread ? `Chat, ${unread} unread` : 'Chat');
    if (atBottom) log.scrollTop = log.scrollHeight;
  };

  const refresh = (): void => {
    const writable = options.canWrite();
    form.hidden = !writable;
    readOnlyNote.hidden = writable;
    render();
  };

  const toggle = (next = !open): void => {
    open = next;
    panel.hidden = !open;
    toggleButton.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('chat-open', open);
    try {
      localStorage.setItem(OPEN_KEY, open ? '1' : '0');
    } catch {
      // Storage disabled.
    }
    render();
    if (open) log.scrollTop = log.scrollHeight;
  };

  const post = (): void => {
    const text = input.value.trim();
    if (text === '' || !options.canWrite()) return;
    const me = options.me();
    const message: ChatMessage = {
      id: randomId(),
      author: me.name,
      color: me.color,
      text: text.slice(0, MAX_CHAT_LENGTH),
      time: Date.now(),
      clientID: options.doc.clientID,
    };
    messages.push([message]);
    input.value = '';
    log.scrollTop = log.scrollHeight;
  };

  toggleButton.addEventListener('click', () => {
    toggle();
    if (open) input.focus();
  });
  close.addEventListener('click', () => {
    toggle(false);
    toggleButton.focus();
  });
  earlier.addEventListener('click', () => {
    const before = log.scrollHeight;
    shown += CHAT_PAGE;
    render();
    log.scrollTop = log.scrollHeight - before;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    post();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      post();
    } else if (event.key === 'Escape') {
      toggle(false);
      toggleButton.focus();
    }
  });
  messages.observe(render);

  toggle(open);
  refresh();
  return {
    toggle,
    refresh,
    focusInput: () => {
      if (!open) toggle(true);
      (form.hidden ? log : input).focus();
    },
  };
}
