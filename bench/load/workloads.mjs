// What the load generators send. BANKING77-style customer questions, chosen
// so both apps take the same path: the knowledge-base ones go to Ferry's
// technical/general route (retrieval + offline:extractive) and contain one of
// the Flask design's "technical" keywords (problem, issue, error, not
// working), so it calls its knowledge base too. Each answers from
// data/docs in both apps (none is a handoff).
export const KB_QUESTIONS = [
  'My card is not working in shops, what can I do?',
  'Contactless is not working on my card',
  'I have a problem with my top up, it failed',
  'My virtual card is not working online',
  'I got an error when I tried to top up with my card',
  'Google Pay is not working with my card',
  'Why is my card not working at the ATM?',
];

// The rest of a support day: billing and account requests (canned replies in
// the Flask design; Ferry's intent classifier and handlers), a greeting and
// general questions (Ferry answers from the knowledge base or hands off; the
// Flask design echoes them).
export const OTHER_QUESTIONS = [
  'I was charged twice for the same coffee',
  'Why is there an extra charge on my statement?',
  'I forgot my password and cannot login',
  'How do I change my PIN?',
  'Hello, I need some help please',
  'When will my card arrive?',
  'How long does a transfer take to reach another bank?',
];

const USERS = 500;

/** One JSON body a line: every question from each of USERS users, so sessions grow evenly. */
export function chatBodies(questions) {
  const lines = [];
  for (let i = 0; i < questions.length * USERS; i++) {
    lines.push(JSON.stringify({ user_id: `load-user-${Math.floor(i / questions.length) % USERS}`, message: questions[i % questions.length] }));
  }
  return lines;
}

export const WORKLOADS = {
  kb: { method: 'POST', path: '/api/chat', bodies: chatBodies(KB_QUESTIONS), what: 'POST /api/chat, knowledge-base questions' },
  mix: { method: 'POST', path: '/api/chat', bodies: chatBodies([...KB_QUESTIONS, ...OTHER_QUESTIONS]), what: 'POST /api/chat, half knowledge-base, half billing/account/general' },
  health: { method: 'GET', path: '/health', what: 'GET /health' },
  hello: { method: 'GET', path: '/hello', what: 'GET /hello' },
};
