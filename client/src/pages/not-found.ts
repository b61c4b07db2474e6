/** The "nothing here" page: only the theme chosen on other pages. */
import '../polish/apply-stored-theme.js';
