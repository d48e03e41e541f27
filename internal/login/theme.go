package login

// A tenant's primary colour reaches the pages as CSS custom properties in
// theme.css, a stylesheet of our own origin: the CSP allows no inline
// styles. The text colour on the brand colour and the link colour are
// chosen so that contrast stays at WCAG AA (4.5:1) whatever colour a
// tenant picks.
