module.exports = ({ env }) => ({
  rest: {
    defaultLimit: 25,
    maxLimit: 100,
    withCount: true,
    // Off by default like a new Strapi app; the tests also run the delivery with it on.
    strictParams: env.bool('REST_STRICT_PARAMS', false),
  },
});
