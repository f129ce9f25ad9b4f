#!/bin/sh
# Validate the nginx site with `nginx -t`, once with each upstream file (Debian host and docker-compose).
# `nginx -t` opens the listening sockets, so ports 80 and 443 become 127.0.0.1:$HTTP_PORT and :$HTTPS_PORT;
# certificate and log paths are swapped for throw-away ones in a temporary folder. It needs neither root
# nor real certificates: only nginx (apt-get install nginx-light) and openssl.
set -eu

HTTP_PORT=${HTTP_PORT:-18080}
HTTPS_PORT=${HTTPS_PORT:-18443}

here=$(cd "$(dirname "$0")" && pwd)
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=lms.example.gov.vn \
    -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null

for upstream in lms-upstream docker-upstream; do
    sed -e "s#/etc/ssl/lms/h5p-#$work/#; s#/etc/ssl/lms/#$work/#; s#/var/log/nginx/#$work/#" \
        -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#; s#listen 443 ssl#listen 127.0.0.1:$HTTPS_PORT ssl#" \
        "$here/lms.conf" > "$work/lms.conf"
    grep -q "listen 127.0.0.1:$HTTPS_PORT ssl" "$work/lms.conf"
    # The compose service name "web" only resolves inside the compose network.
    sed -e "s#server web:8000#server 127.0.0.1:8000#" "$here/$upstream.conf" > "$work/upstream.conf"
    cat > "$work/nginx.conf" <<EOF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $work/upstream.conf;
    include $work/lms.conf;
}
EOF
    echo "== lms.conf with $upstream.conf"
    nginx -t -p "$work" -e "$work/error.log" -c "$work/nginx.conf"
done
