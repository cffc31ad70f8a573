#!/bin/sh
# Installs the Linli server as a systemd service on Debian (run as root, from the checkout at /opt/linli,
# after `npm ci` and `npm run build` there). Safe to run again: what exists is kept.
#   data     /var/lib/linli/db        (PGlite; or DATABASE_URL in /etc/linli/server.env)
#   updates  /var/lib/linli/updates   (kiosk installers and latest*.yml, served at /updates/)
#   logs     the journal              (journalctl -u linli-server)
#   backups  /var/backups/linli       (daily at 02:30, the last 14 kept)
#   settings /etc/linli/server.env, /etc/linli/backup.env, /etc/linli/tls/
set -eu
APP=/opt/linli
SRC="$APP/server/service"
[ "$(id -u)" = 0 ] || { echo "请用 root 运行 / run as root" >&2; exit 1; }
[ -f "$APP/server/main.ts" ] || { echo "Linli is not at $APP / 找不到 $APP" >&2; exit 1; }

id linli >/dev/null 2>&1 || useradd --system --home-dir /var/lib/linli --shell /usr/sbin/nologin linli
install -d -m 0750 -o linli -g linli /var/lib/linli /var/lib/linli/updates /var/backups/linli
install -d -m 0755 /etc/linli
install -d -m 0750 -g linli /etc/linli/tls
[ -f /etc/linli/server.env ] || install -m 0640 -g linli "$SRC/server.env" /etc/linli/server.env
[ -f /etc/linli/backup.env ] || install -m 0600 "$SRC/backup.env" /etc/linli/backup.env
install -m 0644 "$SRC/linli-server.service" "$SRC/linli-backup.service" "$SRC/linli-backup.timer" /etc/systemd/system/

if [ ! -f /etc/linli/tls/server.crt ]; then
  echo "还没有证书：请先运行 / no certificate yet: run first" >&2
  echo "  sh $SRC/make-certificate.sh 服务器的局域网地址 / the server's LAN address, e.g. 192.168.1.10" >&2
  exit 1
fi
systemctl daemon-reload
systemctl enable --now linli-server.service
if grep -q '^LINLI_ADMIN_PASSWORD=.' /etc/linli/backup.env; then
  systemctl enable --now linli-backup.timer
else
  echo "每日备份未启用：请在 /etc/linli/backup.env 填写管理员工作证和密码后运行 systemctl enable --now linli-backup.timer" >&2
  echo "daily backups are off until /etc/linli/backup.env names an admin's card and admin password; then: systemctl enable --now linli-backup.timer" >&2
fi
systemctl --no-pager status linli-server.service | head -n 5
journalctl -u linli-server --no-pager -n 20 | grep -E 'fingerprint|指纹' || true
