/** Imported for its effect: pages without the toggle still use the theme chosen on a pad. */
import { applyTheme, storedTheme } from './theme.js';

applyTheme(storedTheme());
