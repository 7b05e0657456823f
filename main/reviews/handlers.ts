// The reviews slice's handlers: access review reports of snapshots, started as tasks.
import type { reviewsChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { ReviewService } from './review-service.js';

export function reviewsHandlers(d: { reviews: ReviewService }): SliceHandlers<typeof reviewsChannels> {
  return {
    'reviews:start': (input) => d.reviews.start(input),
  };
}
