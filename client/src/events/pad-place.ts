/**
 * On a team's pad, a line under the title linking back to its event and team ("Place PTG ·
 * Nova"): ptgbot's pad list is how people arrive, and this is the way back. Pads of no event
 * show nothing, and neither does a failed lookup: the line is a convenience.
 */
import { eventsApi } from './event-api.js';

export async function mountPadPlace(title: HTMLElement, padId: string): Promise<void> {
  const place = await eventsApi.placeOfPad(padId).catch(() => null);
  if (!place) return;
  const link = document.createElement('a');
  link.className = 'pad-place';
  link.dataset.testid = 'pad-place';
  link.href = place.event.url;
  link.textContent = `${place.event.name} · ${place.team.name}`;
  link.title = `Back to ${place.event.name}: teams, schedule and what each team discusses now`;
  if (place.team.color) link.style.setProperty('--team-color', place.team.color);
  title.append(link);
}
