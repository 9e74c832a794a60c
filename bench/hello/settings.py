"""Settings of the bare hello-world baseline (bench/hello): DEBUG off, two middleware, one view."""

DEBUG = False
SECRET_KEY = "hello-baseline-" + "Vq3Lm8Zt1Rw6Ky0Np4Hd9Bs2Gf7Jc5Xa" * 2
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "bench.hello.urls"
DATABASES: dict = {}
USE_TZ = True
