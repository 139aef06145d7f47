import * as v from "valibot";
import { html } from "stratus/html";
import { child, childAction } from "stratus/live";

/** What the parent renders a Stars child with. */
export interface StarsProps {
  label: string;
  votes: number[];
}

/**
 * A child component inside the Profiles object: it presents its parent's votes
 * (props), keeps each viewer's own vote (its viewer state), and tells the parent
 * about a vote (`emit`), which the parent commits as an event every viewer sees.
 */
export const Stars = child<StarsProps, { mine: number }>({
  initialViewer: () => ({ mine: 0 }),
  render: (props, viewer, key) => {
    const average = props.votes.length ? (props.votes.reduce((a, b) => a + b, 0) / props.votes.length).toFixed(1) : "–";
    return html`<div class="stars" id="stars-${key}"><strong>${props.label}</strong> ${[1, 2, 3, 4, 5].map(
      (n) => html`<button type="button" data-action="${key}:vote" data-stars="${n}">${n}★</button>`,
    )} <span class="summary">${props.votes.length} vote(s), average ${average}</span> <span class="mine">${viewer.slot((v) => (v.mine ? `your vote: ${v.mine}` : "you have not voted"))}</span></div>`;
  },
  actions: {
    vote: childAction(v.object({ stars: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)) }), (_props, { stars }, _caller, ctx) => {
      ctx.setViewer({ mine: stars });
      ctx.emit("voted", stars);
    }),
  },
});
