# Two syndicated replicas behind Varnish: the recipe the test suite runs
# (tests/integration/replicas.rs), which fills in the @…@ addresses. For a
# real site, name your replicas and give varnishd this file with -f.
#
# - Each replica is probed at /healthz every second; a sick one is left
#   out of the round robin until it answers again, and a fetch that fails
#   is retried once on the other.
# - Objects live as long as the replicas' Cache-Control says (max-age
#   never outlasts a scheduled article), and are kept an hour more so that
#   Varnish revalidates them with If-None-Match (every replica gives the
#   same ETag) and a 304 refreshes them.
vcl 4.1;

import directors;

probe healthz {
    .url = "/healthz";
    .interval = 1s;
    .timeout = 1s;
    .window = 2;
    .threshold = 1;
}

backend a { .host = "@A_HOST@"; .port = "@A_PORT@"; .probe = healthz; .connect_timeout = 1s; }
backend b { .host = "@B_HOST@"; .port = "@B_PORT@"; .probe = healthz; .connect_timeout = 1s; }

sub vcl_init {
    new replicas = directors.round_robin();
    replicas.add_backend(a);
    replicas.add_backend(b);
}

sub vcl_recv {
    set req.backend_hint = replicas.backend();
}

sub vcl_backend_fetch {
    set bereq.backend = replicas.backend();
}

sub vcl_backend_error {
    # The other replica, once.
    if (bereq.retries < 1) {
        return (retry);
    }
}

sub vcl_backend_response {
    if (beresp.status >= 500 && bereq.retries < 1) {
        return (retry);
    }
    set beresp.keep = 1h;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
