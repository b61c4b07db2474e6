/** The "nothing here" page: only the theme chosen on other pages. */
import '../theme/apply-stored-theme.js';
