#!/usr/bin/env bash
# Makes the sample site's media files: the podcast's two episodes and its
# artwork, the pictures of two news articles, and the site's icon and logo.
# The results are small and committed; this script is how they were made.
# Needs ffmpeg (Debian package ffmpeg). Output is deterministic for one
# ffmpeg version (bit-exact flags, no metadata).
#
#   tools/sample-media.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || { echo "needs ffmpeg (apt-get install ffmpeg)" >&2; exit 1; }

ff() { ffmpeg -v error -y -nostdin "$@"; }
# Flags that keep encoder names, dates and random ids out of the files.
plain=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)

mkdir -p content/podcast content/images

# Episodes: a few seconds of tones, mono, 16 kbit/s MP3 with a Xing header
# (which gives players, and the daemon, the duration without reading frames).
ff -f lavfi -i "aevalsrc=0.4*sin(2*PI*(330+110*floor(t))*t):s=22050:d=6" \
    -ac 1 -c:a libmp3lame -b:a 16k -write_xing 1 "${plain[@]}" \
    content/podcast/2024-07-05-canal-morning.mp3
ff -f lavfi -i "aevalsrc=0.4*sin(2*PI*(440-40*floor(t))*t):s=22050:d=9" \
    -ac 1 -c:a libmp3lame -b:a 16k -write_xing 1 "${plain[@]}" \
    content/podcast/2024-07-06-fire-safety.mp3

# Artwork: square, 1400 × 1400 (what podcast directories ask for), flat
# colours so the PNG stays a few KiB.
ff -f lavfi -i "color=c=0x1f4e79:s=1400x1400:d=1" -frames:v 1 \
    -vf "drawbox=x=200:y=560:w=1000:h=280:color=0xf2c14e:t=fill,drawbox=x=200:y=900:w=1000:h=60:color=0xffffff:t=fill" \
    "${plain[@]}" content/podcast/artwork.png

# News pictures: 1200 × 630, plain shapes, small JPEGs.
ff -f lavfi -i "color=c=0x4a7a96:s=1200x630:d=1" -frames:v 1 \
    -vf "drawbox=x=0:y=400:w=1200:h=230:color=0x2e5266:t=fill,drawbox=x=520:y=300:w=160:h=120:color=0xd9d9d9:t=fill" \
    -q:v 8 "${plain[@]}" content/images/grand-canal.jpg
ff -f lavfi -i "color=c=0xb03a2e:s=1200x630:d=1" -frames:v 1 \
    -vf "drawbox=x=300:y=250:w=600:h=250:color=0xf5f5f5:t=fill,drawbox=x=350:y=300:w=120:h=120:color=0x303030:t=fill" \
    -q:v 8 "${plain[@]}" content/images/fire-rescue.jpg

# The site's icon (square) and logo (wide).
ff -f lavfi -i "color=c=0xa93226:s=512x512:d=1" -frames:v 1 \
    -vf "drawbox=x=96:y=96:w=320:h=320:color=0xffffff:t=fill" \
    "${plain[@]}" content/images/icon.png
ff -f lavfi -i "color=c=0xa93226:s=600x200:d=1" -frames:v 1 \
    -vf "drawbox=x=40:y=40:w=120:h=120:color=0xffffff:t=fill" \
    "${plain[@]}" content/images/logo.png

ls -l content/podcast content/images
